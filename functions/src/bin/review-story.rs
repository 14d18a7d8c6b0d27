//! Stage: runs the quality gates; passes, rewrites or fails (review queue).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::stage::serve(storyloom_domain::message::QueueName::Review).await
}
