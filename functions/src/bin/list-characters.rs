//! `GET /v1/characters`: the caller's characters.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::LIST_CHARACTERS)
    }).await
}
