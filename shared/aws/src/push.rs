//! `Pusher` on API Gateway's management API: `PostToConnection` sends a frame down a
//! WebSocket; `GoneException` (410) means the client left, which is an answer, not an
//! error.

use crate::error::{classify, code};
use async_trait::async_trait;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use storyloom_domain::Result;
use storyloom_domain::live::{ConnectionId, Delivery};
use storyloom_domain::ports::Pusher;

/// Pushes through one WebSocket API stage's management endpoint.
#[derive(Clone, Debug)]
pub struct ApiGatewayPusher {
    client: Client,
}

impl ApiGatewayPusher {
    /// A pusher over a client built for the stage's endpoint ([`crate::AwsClients::management`]).
    pub fn new(client: Client) -> Self {
        ApiGatewayPusher { client }
    }
}

#[async_trait]
impl Pusher for ApiGatewayPusher {
    async fn push(&self, to: &ConnectionId, frame: &[u8]) -> Result<Delivery> {
        let sent = self
            .client
            .post_to_connection()
            .connection_id(to.as_str())
            .data(Blob::new(frame))
            .send()
            .await;
        match sent {
            Ok(_) => Ok(Delivery::Delivered),
            Err(e) if code(&e) == Some("GoneException") => Ok(Delivery::Gone),
            Err(e) => Err(classify("pushing to a connection", e)),
        }
    }
}
