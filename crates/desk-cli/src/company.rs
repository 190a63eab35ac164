//! `desk company list|show|add|switch|set`: the companies of the data folder and the current one's profile.

use crate::Out;
use clap::{Args, Subcommand};
use desk_core::api::{Run, RunMut};
use desk_core::Workspace;
use desk_model::company::{CompanyInput, CompanyProfile, VatRegime};
use desk_model::document::RoundingMethod;
use desk_model::ipc::call;
use desk_model::ipc::{AppError, ErrorKind};
use desk_model::msg::{Lang, Localized};

#[derive(Subcommand)]
pub enum CompanyCommand {
    /// Every company of the data folder; `*` marks the current one.
    List,
    /// The current company's profile.
    Show,
    /// Add a company and make it current.
    Add(ProfileArgs),
    /// Make another company current (id, NIF or exact name).
    Switch {
        /// Its id, NIF or name.
        company: String,
    },
    /// Change the current company's profile: only the fields given change.
    Set(ProfileArgs),
}

#[derive(Args)]
pub struct ProfileArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    nif: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    country: Option<String>,
    /// Share capital, written the English way (5000.00).
    #[arg(long)]
    share_capital: Option<String>,
    #[arg(long)]
    registry: Option<String>,
    #[arg(long)]
    iban: Option<String>,
    #[arg(long)]
    payment_method: Option<String>,
    /// A PNG or JPEG file.
    #[arg(long)]
    logo: Option<String>,
    /// VAT regime: normal, cash-vat (IVA de caixa) or small-business-exempt (art. 53 CIVA).
    #[arg(long, value_parser = parse_regime)]
    vat_regime: Option<VatRegime>,
    /// How VAT is rounded, as in Moloni: document (the default) or line.
    #[arg(long, value_parser = parse_rounding)]
    rounding: Option<RoundingMethod>,
}

fn parse_regime(s: &str) -> Result<VatRegime, String> {
    VatRegime::parse(s)
        .ok_or_else(|| format!("unknown VAT regime {s:?}: use normal, cash-vat or small-business-exempt"))
}

fn parse_rounding(s: &str) -> Result<RoundingMethod, String> {
    RoundingMethod::parse(s).ok_or_else(|| format!("unknown rounding {s:?}: use document or line"))
}

impl ProfileArgs {
    fn apply(self, mut i: CompanyInput) -> CompanyInput {
        let set = |field: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(&mut i.name, self.name);
        set(&mut i.nif, self.nif);
        set(&mut i.address, self.address);
        set(&mut i.postal_code, self.postal_code);
        set(&mut i.city, self.city);
        set(&mut i.country, self.country);
        set(&mut i.share_capital, self.share_capital);
        set(&mut i.registry, self.registry);
        set(&mut i.iban, self.iban);
        set(&mut i.payment_method, self.payment_method);
        set(&mut i.logo_path, self.logo);
        if let Some(r) = self.vat_regime {
            i.fiscal.vat_regime = r;
        }
        if let Some(r) = self.rounding {
            i.fiscal.rounding = r;
        }
        i
    }
}

fn show(p: &CompanyProfile, out: Out) {
    if out.json {
        println!("{}", serde_json::to_string_pretty(p).unwrap_or_default());
        return;
    }
    let party = p.party();
    println!("{}\t{}", p.id, p.name);
    for (label, value) in [
        ("NIF", p.nif.clone()),
        ("address", party.address),
        ("postal code", party.postal_code),
        ("city", party.city),
        ("country", Some(party.country)),
        ("share capital", p.share_capital.map(|m| desk_model::money::format_money(m, Lang::En))),
        ("registry", p.registry.clone()),
        ("IBAN", p.iban.as_ref().map(ToString::to_string)),
        ("payment", p.payment_method.clone()),
        ("logo", p.logo_path.clone()),
        ("VAT regime", Some(p.fiscal.vat_regime.name().en)),
        ("rounding", Some(p.fiscal.rounding.name().en)),
    ] {
        if let Some(v) = value {
            println!("  {label}: {v}");
        }
    }
}

pub async fn run(ws: &mut Workspace, cmd: CompanyCommand, out: Out) -> Result<(), AppError> {
    ws.skip_first_run().await?;
    match cmd {
        CompanyCommand::List => {
            let companies = call::CompaniesList {}.run(ws).await?;
            if out.json {
                println!("{}", serde_json::to_string_pretty(&companies).unwrap_or_default());
            } else {
                for c in companies {
                    let mark = if c.id == ws.company().id { "*" } else { " " };
                    println!("{mark} {}\t{}\t{}", c.id, c.nif.unwrap_or_default(), c.name);
                }
            }
        }
        CompanyCommand::Show => show(&call::CompanyProfileGet {}.run(ws).await?, out),
        CompanyCommand::Add(a) => {
            let input = a.apply(CompanyInput { lang: Lang::En, ..CompanyInput::default() });
            show(&ws.create_company(&input).await?, out);
        }
        CompanyCommand::Set(a) => {
            let input = a.apply(call::CompanyProfileGet {}.run(ws).await?.to_input(Lang::En));
            show(&call::CompanySave { input }.run_mut(ws).await?, out);
        }
        CompanyCommand::Switch { company } => {
            let key = company.trim();
            let found =
                call::CompaniesList {}.run(ws).await?.into_iter().find(|c| {
                    c.id.to_string() == key || c.nif.as_deref() == Some(key) || c.name.eq_ignore_ascii_case(key)
                });
            let Some(found) = found else {
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    Localized::new(
                        format!("Nenhuma empresa «{key}». Veja-as com «desk company list»."),
                        format!("No company «{key}». See them with «desk company list»."),
                    ),
                ));
            };
            call::CompanySwitch { id: found.id }.run_mut(ws).await?;
            show(&call::CompanyProfileGet {}.run(ws).await?, out);
        }
    }
    Ok(())
}
