//! `storyloom token`: a bearer token for scripts.

use super::Target;
use clap::Args;
use storyloom_cli::stack;

#[derive(Args)]
pub struct Token {
    #[arg(long)]
    user: String,
    /// The reader's tier: paid books go through the priority lane.
    #[arg(long, value_enum, default_value_t = TierArg::Free)]
    tier: TierArg,
    #[command(flatten)]
    target: Target,
}

/// A reader's tier on the command line.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TierArg {
    Free,
    Paid,
}

impl From<TierArg> for storyloom_domain::Tier {
    fn from(t: TierArg) -> Self {
        match t {
            TierArg::Free => storyloom_domain::Tier::Free,
            TierArg::Paid => storyloom_domain::Tier::Paid,
        }
    }
}

impl Token {
    pub async fn run(self) -> anyhow::Result<()> {
        let Target { data, aws, prefix } = self.target;
        let authority = match aws {
            None => stack::local_authority(&data).await?,
            Some(endpoint) => storyloom_cli::aws_authority(&endpoint, &prefix).await?,
        };
        println!("{}", stack::mint(&authority, &self.user, self.tier.into())?);
        Ok(())
    }
}
