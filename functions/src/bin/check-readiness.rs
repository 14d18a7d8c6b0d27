//! GET /v1/health and /v1/ready: whether this deployment's dependencies answer.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::probe::serve().await
}
