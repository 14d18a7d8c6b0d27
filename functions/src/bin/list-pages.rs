//! `GET /v1/books/{id}/pages`: the pages written so far.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::ListPages).await
}
