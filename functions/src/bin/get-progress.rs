//! `GET /v1/books/{id}/progress`: how far the pipeline got.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::GetProgress).await
}
