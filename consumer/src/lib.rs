//! Accord's consumer side: a builder DSL for describing interactions in consumer tests and an
//! in-process mock provider that checks the consumer's requests against them and writes the
//! contract file.
