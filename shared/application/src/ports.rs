//! The bundle of ports a process wires once at start; each use case is handed the ports it
//! uses from it.

use crate::guarded::{guard_image, guard_text};
use crate::limits::Leases;
use crate::metered::{meter_image, meter_text};
use crate::retried::{retry_image, retry_text};
use crate::timings::TimingsCache;
use std::sync::Arc;
use storyloom_domain::metrics::Metrics;
use storyloom_domain::ports::{
    BlobStore, BookRenderer, Clock, ImageModel, JobQueue, Secrets, Store, TextModel,
};
use storyloom_domain::{Limits, PriceTable};

/// Every port, behind `Arc` so handlers share one set per process (one per cold start),
/// and the configuration every use case reads.
#[derive(Clone)]
pub struct Ports {
    pub store: Arc<dyn Store>,
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
    /// Where measurements go.
    pub metrics: Arc<dyn Metrics>,
    /// Requests taken from users' rate-limit buckets and not yet spent (per process).
    pub leases: Arc<Leases>,
    /// The stage timings this process read last (per process).
    pub timings: Arc<TimingsCache>,
}

impl Ports {
    /// These ports with their models metered, behind their providers' circuit breakers,
    /// and tried again in-process after a transient failure: how every process wires the
    /// models it was given.
    pub fn guarded(self) -> Ports {
        let text = meter_text(self.text.clone(), self.metrics.clone(), self.prices.clone());
        let image = meter_image(
            self.image.clone(),
            self.metrics.clone(),
            self.prices.clone(),
        );
        Ports {
            text: retry_text(guard_text(text, self.store.clone(), self.clock.clone())),
            image: retry_image(guard_image(image, self.store.clone(), self.clock.clone())),
            ..self
        }
    }
}
