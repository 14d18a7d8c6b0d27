//! `storyloom publish-web`: the web app onto a deployed stack.

use clap::Args;

#[derive(Args)]
pub struct PublishWeb {
    /// The CloudFormation stack's name.
    #[arg(long)]
    stack: String,
    /// An AWS API server to use instead of the account the environment names.
    #[arg(long, value_name = "ENDPOINT")]
    aws: Option<String>,
}

impl PublishWeb {
    #[cfg(feature = "aws")]
    pub async fn run(self) -> anyhow::Result<()> {
        let clients = match &self.aws {
            Some(endpoint) => storyloom_aws::AwsClients::for_local_endpoint(endpoint).await,
            None => storyloom_aws::AwsClients::load().await,
        };
        let published = storyloom_cli::publish_web::publish(&clients, &self.stack).await?;
        eprintln!(
            "published {} files to s3://{}; sign-in through {}",
            published.files,
            published.bucket,
            published
                .config
                .cognito
                .map(|c| c.domain)
                .unwrap_or_default()
        );
        println!("{}", published.url);
        Ok(())
    }

    #[cfg(not(feature = "aws"))]
    pub async fn run(self) -> anyhow::Result<()> {
        anyhow::bail!(storyloom_cli::WITHOUT_AWS)
    }
}
