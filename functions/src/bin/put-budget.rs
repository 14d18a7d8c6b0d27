//! `PUT /v1/budget`: sets the caller's monthly budget.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    storyloom_functions::http::serve(storyloom_http::Endpoint::PutBudget).await
}
