//! `GET /v1/books/{id}/pages`: the pages written so far.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::LIST_PAGES) },
    )
    .await
}
