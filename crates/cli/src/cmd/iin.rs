use clap::{Args, Subcommand};
use domain::{Iin, Lang, Sex};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum IinCommand {
    /// Check an IIN: exit 0 and print birth date and sex, or exit 1 and print why not.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The 12-digit IIN.
    pub iin: String,
    /// Language of the explanation: kk or ru (English is always printed first).
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

pub fn run(command: IinCommand) -> anyhow::Result<ExitCode> {
    match command {
        IinCommand::Check(args) => Ok(check(
            &args.iin,
            Lang::from_code(&args.lang).unwrap_or(Lang::Kk),
        )),
    }
}

fn check(input: &str, lang: Lang) -> ExitCode {
    match Iin::parse(input) {
        Ok(iin) => {
            let sex = match iin.sex() {
                Sex::Male => "male",
                Sex::Female => "female",
            };
            println!("valid IIN {iin}");
            println!("birth date: {}", iin.birth_date());
            println!("sex: {sex}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("invalid IIN: {e} [{}]", e.code());
            println!("{}", e.message(lang));
            ExitCode::FAILURE
        }
    }
}
