//! Accord's provider verifier: fetches contracts (files, URLs or a broker), sets up provider
//! states, replays every interaction against a running provider and reports the results.
