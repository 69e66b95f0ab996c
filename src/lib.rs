//! guanxi (关系): a knowledge-graph builder for the tech and AI industry.
//!
//! Articles in (Chinese, English, mixed), a graph of companies, people, books,
//! AI models and events out, with typed relations and the sentence each came from.
//!
//! The stages, each a module that takes and gives plain data:
//! [`source`] → [`normalize`] → [`segment`] → [`mention`] → [`resolve`] →
//! [`relation`] → [`store`] → [`graph`] → [`query`] / [`export`].
//! [`pipeline::Extractor`] runs the text stages for one document; [`facts`] carries what one
//! document says between machines (extraction as a map step, one writer merging the shards).

#![warn(missing_docs)]

pub mod candidates;
pub mod cli;
pub mod dates;
pub mod eval;
pub mod event;
pub mod export;
pub mod facts;
pub mod graph;
pub mod ingest;
pub mod lexicon;
pub mod mention;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod query;
pub mod relation;
pub mod resolve;
pub mod script;
pub mod segment;
pub mod source;
pub mod stage;
pub mod store;
