//! The broker's rules as pure functions over plain data: the matrix, can-i-deploy, consumer
//! version selectors (pacts for verification), pending and WIP pacts.
//!
//! Nothing here does I/O or knows about HTTP or SQL: the store loads a [`BrokerData`], the
//! caller builds an [`Index`] over it once, and each rule answers from the index.

mod can_i_deploy;
mod index;
mod matrix;
mod model;
mod pending;
mod selectors;

#[cfg(test)]
mod scale;
#[cfg(test)]
mod scenario;

pub(crate) use index::{Index, Presence};
pub(crate) use matrix::{LatestBy, MatrixError, MatrixQuery, MatrixRow, MatrixSelector, matrix};
pub(crate) use model::{
    Branch, BrokerData, DeployedVersion, Environment, EnvironmentId, Pacticipant, PacticipantId,
    Publication, PublicationId, ReleasedVersion, Verification, VerificationId, Version, VersionId,
};
