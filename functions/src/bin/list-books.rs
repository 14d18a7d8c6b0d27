//! `GET /v1/books`: the caller's books, newest first.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::LIST_BOOKS) },
    )
    .await
}
