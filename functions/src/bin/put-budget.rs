//! `PUT /v1/budget`: sets the caller's monthly budget.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(
        const { storyloom_functions::http::HttpFunction::of(storyloom_http::route::PUT_BUDGET) },
    )
    .await
}
