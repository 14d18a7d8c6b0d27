//! `GET /v1/books/{id}/book.pdf`: the finished PDF (presigned redirect).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::DOWNLOAD_PDF) },
    )
    .await
}
