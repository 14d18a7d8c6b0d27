//! Stage: plans and writes the story (story queue).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::stage::serve(
        const {
            storyloom_functions::stage::StageFunction::of(
                storyloom_domain::message::QueueName::Story,
            )
        },
    )
    .await
}
