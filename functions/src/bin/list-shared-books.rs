//! `GET /v1/shared-books`: the books shared with the caller.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::LIST_SHARED_BOOKS)
    }).await
}
