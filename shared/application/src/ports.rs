//! The bundle of ports a process wires once at start and hands to every use case.

use std::sync::Arc;
use storyloom_domain::ports::{
    BlobStore, BookRenderer, BookStore, Clock, ImageModel, JobQueue, Secrets, TextModel,
};
use storyloom_domain::{Limits, PriceTable};

/// Every port, behind `Arc` so handlers share one set per process (one per cold start),
/// and the configuration every use case reads.
#[derive(Clone)]
pub struct Ports {
    pub store: Arc<dyn BookStore>,
    pub queue: Arc<dyn JobQueue>,
    pub blobs: Arc<dyn BlobStore>,
    pub secrets: Arc<dyn Secrets>,
    pub text: Arc<dyn TextModel>,
    pub image: Arc<dyn ImageModel>,
    pub renderer: Arc<dyn BookRenderer>,
    pub clock: Arc<dyn Clock>,
    /// The per-user limits (configuration, not a port; every use case reads the same).
    pub limits: Limits,
    /// What each model's calls cost (configuration, like the limits).
    pub prices: Arc<PriceTable>,
}
