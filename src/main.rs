//! `regiohub`: parses the command line and runs the command; errors become one line on stderr.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use regiohub::cli::{self, Cli};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            let _ = error.print();
            return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
        Err(error) => {
            let rendered = error.render().to_string();
            let line = rendered.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
            eprintln!("regiohub: {}", line.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("regiohub: {}", error.message);
            ExitCode::from(u8::try_from(error.exit_code).unwrap_or(1))
        }
    }
}
