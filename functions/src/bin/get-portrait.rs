//! `GET /v1/characters/{id}/portrait`: a character's portrait, drawn on first request.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::GET_PORTRAIT) },
    )
    .await
}
