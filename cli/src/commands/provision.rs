//! `storyloom provision`: the stack's resources on an AWS API endpoint, and the functions'
//! environment for them.

use clap::Args;

#[derive(Args)]
pub struct Provision {
    #[arg(long, value_name = "ENDPOINT")]
    aws: String,
    #[arg(long, default_value = "storyloom")]
    prefix: String,
}

impl Provision {
    #[cfg(feature = "aws")]
    pub async fn run(self) -> anyhow::Result<()> {
        use storyloom_cli::aws_mode;
        let (_, settings) =
            aws_mode::create_resources(&self.aws, &self.prefix, aws_mode::MAX_RECEIVE_COUNT)
                .await?;
        for line in aws_mode::environment(&settings) {
            println!("{line}");
        }
        Ok(())
    }

    #[cfg(not(feature = "aws"))]
    pub async fn run(self) -> anyhow::Result<()> {
        anyhow::bail!(storyloom_cli::WITHOUT_AWS)
    }
}
