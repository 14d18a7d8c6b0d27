//! `POST /v1/live/tickets`: a single-use ticket to open the live-progress WebSocket with.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(const {
        storyloom_functions::http::HttpFunction::of(storyloom_http::route::CREATE_LIVE_TICKET)
    }).await
}
