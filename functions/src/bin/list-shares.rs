//! `GET /v1/books/{id}/shares`: who a book is shared with (owner only).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::LIST_SHARES) },
    )
    .await
}
