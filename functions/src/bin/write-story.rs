//! Stage: plans and writes the story (story queue).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::stage::serve(storyloom_domain::message::QueueName::Story).await
}
