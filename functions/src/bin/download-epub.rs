//! `GET /v1/books/{id}/book.epub`: the EPUB 3 e-book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::DownloadEpub).await
}
