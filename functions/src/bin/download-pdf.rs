//! `GET /v1/books/{id}/book.pdf`: the finished PDF (presigned redirect).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::DownloadPdf).await
}
