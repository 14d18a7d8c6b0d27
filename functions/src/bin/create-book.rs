//! `POST /v1/books`: orders a book (202, then the pipeline makes it).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::CreateBook).await
}
