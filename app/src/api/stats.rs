//! 统计指标: the figures the centre is judged by, per department and for the whole centre, with
//! how each is computed (`GET /api/admin/stats`, and its CSV twin `/api/admin/stats.csv`).
//!
//! Every figure travels with its numerator and denominator, so a reader can check the value and
//! the client can add months together; the computation itself is `rules::stats`.

use serde::{Deserialize, Serialize};

use super::CaseStatus;

/// Which figure (its wire name is the CSV's and the API's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureKey {
    CompletionRate,
    OnTimeRate,
    EarlyRate,
    ImmediateShare,
    PromisedShare,
    JointShare,
    PromiseRatio,
    ActualToPromised,
    OnlineShare,
    MaxOneVisitShare,
    ZeroVisitShare,
    SatisfactionRate,
    ComplaintFixRate,
    ComplaintAnswerDays,
    DecisionDays,
    ReturnsPerCase,
}

/// How a figure's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureUnit {
    /// A share, shown as a percentage.
    Percent,
    /// Working days (an average).
    Days,
    /// A plain ratio (times per case, actual ÷ promised …).
    Ratio,
}

impl FigureKey {
    pub const ALL: [FigureKey; 16] = [
        FigureKey::CompletionRate,
        FigureKey::OnTimeRate,
        FigureKey::EarlyRate,
        FigureKey::ImmediateShare,
        FigureKey::PromisedShare,
        FigureKey::JointShare,
        FigureKey::PromiseRatio,
        FigureKey::ActualToPromised,
        FigureKey::OnlineShare,
        FigureKey::MaxOneVisitShare,
        FigureKey::ZeroVisitShare,
        FigureKey::SatisfactionRate,
        FigureKey::ComplaintFixRate,
        FigureKey::ComplaintAnswerDays,
        FigureKey::DecisionDays,
        FigureKey::ReturnsPerCase,
    ];

    pub fn as_str(self) -> &'static str {
        super::wire_name::of(&self)
    }

    pub fn label(self) -> &'static str {
        match self {
            FigureKey::CompletionRate => "办结率",
            FigureKey::OnTimeRate => "按时办结率",
            FigureKey::EarlyRate => "提前办结率",
            FigureKey::ImmediateShare => "即办件比例",
            FigureKey::PromisedShare => "承诺件比例",
            FigureKey::JointShare => "联办件比例",
            FigureKey::PromiseRatio => "承诺时限压缩比",
            FigureKey::ActualToPromised => "实际用时 ÷ 承诺时限",
            FigureKey::OnlineShare => "网办率",
            FigureKey::MaxOneVisitShare => "最多跑一次比例",
            FigureKey::ZeroVisitShare => "零跑腿比例",
            FigureKey::SatisfactionRate => "好评率",
            FigureKey::ComplaintFixRate => "差评整改率",
            FigureKey::ComplaintAnswerDays => "差评平均整改用时",
            FigureKey::DecisionDays => "平均办理用时",
            FigureKey::ReturnsPerCase => "件均退回补正次数",
        }
    }

    /// One line: how the figure is computed.
    pub fn definition(self) -> &'static str {
        match self {
            FigureKey::CompletionRate => "已办结（含不予受理）的办件 ÷ 期内受理的办件（不含已撤回）",
            FigureKey::OnTimeRate => "在承诺办结日期当天或之前办结的办件 ÷ 有承诺办结日期的已办结办件",
            FigureKey::EarlyRate => "早于承诺办结日期办结的办件 ÷ 有承诺办结日期的已办结办件",
            FigureKey::ImmediateShare => "事项类型为即办件的受理办件 ÷ 期内受理的办件",
            FigureKey::PromisedShare => "事项类型为承诺件的受理办件 ÷ 期内受理的办件",
            FigureKey::JointShare => "事项类型为联办件的受理办件 ÷ 期内受理的办件",
            FigureKey::PromiseRatio => "有法定时限的事项：承诺时限（工作日）之和 ÷ 法定时限之和，即平均承诺时限 ÷ 平均法定时限",
            FigureKey::ActualToPromised => "有承诺时限的已办结办件：受理日至办结日的工作日之和 ÷ 承诺时限之和",
            FigureKey::OnlineShare => "事项网办深度为全程网办的受理办件 ÷ 期内受理的办件",
            FigureKey::MaxOneVisitShare => "事项到现场次数不超过 1 次的受理办件 ÷ 期内受理的办件",
            FigureKey::ZeroVisitShare => "事项到现场次数为 0 的受理办件 ÷ 期内受理的办件",
            FigureKey::SatisfactionRate => "非常满意、满意、基本满意的评价 ÷ 期内受理办件收到的全部评价",
            FigureKey::ComplaintFixRate => "已答复整改的差评 ÷ 全部差评（不满意、非常不满意）",
            FigureKey::ComplaintAnswerDays => "已整改差评：评价日至整改答复日的工作日之和 ÷ 已整改差评数",
            FigureKey::DecisionDays => "已办结办件：受理日至办结日的工作日之和 ÷ 已办结办件数",
            FigureKey::ReturnsPerCase => "退回补正（一次性告知）次数之和 ÷ 期内受理的办件",
        }
    }

    pub fn unit(self) -> FigureUnit {
        match self {
            FigureKey::ComplaintAnswerDays | FigureKey::DecisionDays => FigureUnit::Days,
            FigureKey::ActualToPromised | FigureKey::ReturnsPerCase => FigureUnit::Ratio,
            _ => FigureUnit::Percent,
        }
    }
}

/// One figure: `value = numerator ÷ denominator`, absent while the denominator is 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    pub key: FigureKey,
    /// e.g. `按时办结率`.
    pub label: String,
    /// How it is computed, one line of Chinese.
    pub definition: String,
    pub unit: FigureUnit,
    pub numerator: i64,
    pub denominator: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// How many of the period's cases are in one status now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: CaseStatus,
    pub count: i64,
}

/// The figures of one scope (the centre, one department, one month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// 办件量: cases accepted (submitted, the last time after 补正) in the period.
    pub received: i64,
    /// Of those, decided by the department (已办结, 不予受理).
    pub decided: i64,
    /// Of those, where they stand now, every status listed (0 included), in status order.
    pub by_status: Vec<StatusCount>,
    /// 红牌: still with the department and past the promised date (today).
    pub red: i64,
    /// 黄牌: still with the department and one working day or less left (today).
    pub yellow: i64,
    /// Every [`FigureKey`], in [`FigureKey::ALL`] order.
    pub figures: Vec<Figure>,
}

impl Figures {
    pub fn figure(&self, key: FigureKey) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentFigures {
    pub code: String,
    pub name: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub figures: Figures,
}

/// `GET /api/admin/stats?from=&to=&department=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// `YYYY-MM-DD`, Beijing dates, both included.
    pub from: String,
    pub to: String,
    /// The department asked for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The centre's figures, or the one department's when `department` is given.
    pub total: Figures,
    /// Every department of the catalog (only the one asked for, if any), in catalog order.
    pub departments: Vec<DepartmentFigures>,
    /// Month by month over the period, for the plots (of `total`'s scope).
    pub months: Vec<MonthFigures>,
    /// Some of the counted cases are generated 演示数据 (demo history).
    pub includes_demo: bool,
}
