//! `GET /v1/books/{id}/book.epub`: the EPUB 3 e-book.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::DOWNLOAD_EPUB) },
    )
    .await
}
