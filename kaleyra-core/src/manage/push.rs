//! Templates as code (issue 19): making the account match a [`Plan`] — what
//! `kaleyra templates push` does after printing it.

use std::fmt;

use crate::catalogue::{Plan, PlanStep};
use crate::client::Client;
use crate::error::Error;
use crate::rules::TEMPLATE_CALLS_PER_HOUR;

use super::{CreatedTemplate, Edit};

/// What [`Client::apply_plan`] did: the calls made, in the plan's order, and why it stopped
/// early if it did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Applied {
    /// Each template changed.
    pub done: Vec<Done>,
    /// Why the plan was not carried out to its end (`None`: it was).
    pub stopped: Option<Stopped>,
}

/// One template the account now has as the file says.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Done {
    /// Created (and now in WhatsApp's review).
    Created {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
        /// Kaleyra's answer: its id, status and category.
        created: CreatedTemplate,
    },
    /// Edited (and reviewed again).
    Edited {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
    },
    /// Deleted.
    Deleted {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
    },
}

impl Done {
    /// The template's name.
    pub fn name(&self) -> &str {
        match self {
            Done::Created { name, .. } | Done::Edited { name, .. } | Done::Deleted { name, .. } => {
                name
            }
        }
    }

    /// The template's language.
    pub fn language(&self) -> &str {
        match self {
            Done::Created { language, .. }
            | Done::Edited { language, .. }
            | Done::Deleted { language, .. } => language,
        }
    }
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Done::Created {
                name,
                language,
                created,
            } => write!(
                f,
                "created {name} ({language}): id {}, {}",
                created.id, created.status
            ),
            Done::Edited { name, language } => write!(f, "edited {name} ({language})"),
            Done::Deleted { name, language } => write!(f, "deleted {name} ({language})"),
        }
    }
}

/// Why [`Client::apply_plan`] stopped before the end of its plan.
#[derive(Debug)]
#[non_exhaustive]
pub enum Stopped {
    /// The plan holds a change WhatsApp refuses: no call was made.
    Refused,
    /// Kaleyra's budget of template calls per hour
    /// ([`TEMPLATE_CALLS_PER_HOUR`](crate::rules::TEMPLATE_CALLS_PER_HOUR)) is spent: the rest
    /// waits for the next run, an hour later.
    Budget {
        /// The calls made.
        made: usize,
        /// The calls the plan needs.
        needed: usize,
    },
    /// A call failed; the steps after it were not attempted.
    Failed {
        /// The template of the step that failed.
        name: String,
        /// Its language.
        language: String,
        /// Why.
        error: Error,
    },
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stopped::Refused => f.write_str(
                "the plan holds a change WhatsApp refuses (marked `!`): nothing was sent",
            ),
            Stopped::Budget { made, needed } => write!(
                f,
                "stopped after {made} of {needed} calls: Kaleyra allows \
                 {TEMPLATE_CALLS_PER_HOUR} template calls per hour; push again in an hour for \
                 the rest"
            ),
            Stopped::Failed {
                name,
                language,
                error,
            } => write!(f, "stopped at {name} ({language}): {error}"),
        }
    }
}

impl Client {
    /// Makes the account match the file the [`Plan`] was made from
    /// ([`catalogue::plan`](crate::catalogue::plan)): creates, edits and deletes its templates
    /// in the plan's order, at most Kaleyra's 100 template calls (an hour's budget: a larger
    /// plan makes the first 100, and the next plan, from the refreshed file, the rest), and
    /// stops at the first call that fails. A plan with a refused step makes no call at all.
    /// Each created or edited definition is first held to WhatsApp's creation rules
    /// ([`Error::InvalidTemplate`]).
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use kaleyra::catalogue::{plan, Catalogue};
    ///
    /// let file = Catalogue::load("kaleyra-templates.json")?;
    /// let account = Catalogue::new(client.templates().await?, "the account");
    /// let plan = plan(&file, &account, false);
    /// print!("{plan}"); // `+ create order_delayed (en_US)`, `= auth1 (en_US)`, …
    /// let applied = client.apply_plan(&plan).await;
    /// for done in &applied.done {
    ///     println!("{done}");
    /// }
    /// if let Some(why) = applied.stopped {
    ///     eprintln!("{why}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn apply_plan(&self, plan: &Plan) -> Applied {
        let mut applied = Applied {
            done: Vec::new(),
            stopped: None,
        };
        if plan.is_refused() {
            applied.stopped = Some(Stopped::Refused);
            return applied;
        }
        let needed = plan.calls();
        let mut made = 0;
        let mut names_deleted: Vec<&str> = Vec::new();
        for step in plan.steps() {
            let (name, language) = (step.name().to_owned(), step.language().to_owned());
            // Every language of a name goes in one call by name: the others are done with it.
            if let PlanStep::Delete {
                every_language: true,
                ..
            } = step
                && names_deleted.contains(&step.name())
            {
                applied.done.push(Done::Deleted { name, language });
                continue;
            }
            let calls = step.calls();
            if calls == 0 {
                continue;
            }
            if made + calls > TEMPLATE_CALLS_PER_HOUR {
                applied.stopped = Some(Stopped::Budget { made, needed });
                return applied;
            }
            made += calls;
            let result = match step {
                PlanStep::Create { template } => {
                    self.create_template(template)
                        .await
                        .map(|created| Done::Created {
                            name: name.clone(),
                            language: language.clone(),
                            created,
                        })
                }
                PlanStep::Edit {
                    id,
                    template,
                    category,
                    components,
                } => {
                    let edit = match (category.is_some(), components.is_empty()) {
                        (true, false) => Edit::Both,
                        (true, true) => Edit::Category,
                        (false, _) => Edit::Components,
                    };
                    self.edit_template_parts(id, template, edit)
                        .await
                        .map(|()| Done::Edited {
                            name: name.clone(),
                            language: language.clone(),
                        })
                }
                PlanStep::Delete {
                    id, every_language, ..
                } => {
                    let by_id = if *every_language {
                        names_deleted.push(step.name());
                        None
                    } else {
                        id.as_deref()
                    };
                    self.delete_template(step.name(), by_id)
                        .await
                        .map(|()| Done::Deleted {
                            name: name.clone(),
                            language: language.clone(),
                        })
                }
                _ => continue,
            };
            match result {
                Ok(done) => applied.done.push(done),
                Err(error) => {
                    applied.stopped = Some(Stopped::Failed {
                        name,
                        language,
                        error,
                    });
                    return applied;
                }
            }
        }
        applied
    }
}
