//! `PUT /v1/books/{id}/shares/{user}`: share a book as viewer or editor (owner only).

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::PUT_SHARE) },
    )
    .await
}
