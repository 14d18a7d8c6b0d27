//! `GET /v1/shared-books`: the books shared with the caller.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::ListSharedBooks).await
}
