//! `POST /v1/characters/{id}/portrait`: asks for a new drawing of a character's portrait.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::REDRAW_PORTRAIT)
    }).await
}
