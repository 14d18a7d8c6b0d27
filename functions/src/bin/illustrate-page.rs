//! Stage: draws one page's picture; the last one hands over to assembly (illustrate queue).

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    storyloom_functions::stage::serve(
        const {
            storyloom_functions::stage::StageFunction::of(
                storyloom_domain::message::QueueName::Illustrate,
            )
        },
    )
    .await
}
