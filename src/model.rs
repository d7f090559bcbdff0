//! The typed callStatus payload and its enumerations.

use std::fmt;

/// Declares a wire enumeration with its documented meaning per value.
macro_rules! wire_enum {
    (
        $(#[$outer:meta])*
        $name:ident {
            $( $(#[$inner:meta])* $variant:ident = $wire:literal => $meaning:literal, )+
        }
    ) => {
        $(#[$outer])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`: ", $meaning)]
                $(#[$inner])*
                #[cfg_attr(feature = "serde", serde(rename = $wire))]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order FreeClimb documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Parses a wire value; the match is exact and case-sensitive.
            pub fn from_wire(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// The value exactly as FreeClimb sends it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )+
                }
            }

            /// FreeClimb's documented meaning of the value, as one sentence.
            pub fn meaning(self) -> &'static str {
                match self {
                    $( $name::$variant => $meaning, )+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// The `callStatus` of a call. A callStatus webhook carries one of the five
    /// final values; the other three describe calls still in progress.
    CallStatus {
        /// Final.
        Completed = "completed" => "Call ended after having been connected.",
        /// Final.
        Busy = "busy" => "Caller received a busy signal.",
        /// Final.
        Failed = "failed" => "Call could not be completed as dialed, most likely because the phone number was non-existent.",
        /// Final.
        NoAnswer = "noAnswer" => "Call ended without being answered.",
        /// Final.
        Canceled = "canceled" => "Call was canceled via the REST API while queued or ringing.",
        /// Not final: never ends a call.
        Queued = "queued" => "Call is waiting to be placed; it has not ended.",
        /// Not final: never ends a call.
        Ringing = "ringing" => "Call is ringing; it has not ended.",
        /// Not final: never ends a call.
        InProgress = "inProgress" => "Call is connected and in progress; it has not ended.",
    }
}

impl CallStatus {
    /// Whether the status can end a call, and so appear in a callStatus webhook.
    pub fn is_final(self) -> bool {
        !matches!(
            self,
            CallStatus::Queued | CallStatus::Ringing | CallStatus::InProgress
        )
    }
}

wire_enum! {
    /// The `callEndedReason`: FreeClimb's detailed reason for the end of a call.
    KnownCallEndedReason {
        Busy = "busy" => "Caller received a busy signal.",
        Failed = "failed" => "Call could not be completed as dialed, most likely because the phone number was non-existent.",
        NoAnswer = "noAnswer" => "Call ended without being answered.",
        CallCanceled = "callCanceled" => "Call was canceled via the REST API while queued or ringing.",
        FarEndHangup = "farEndHangup" => "The phone FreeClimb was connected to was hung up.",
        AppHangup = "appHangup" => "The FreeClimb application hung up the call.",
        AppReject = "appReject" => "The FreeClimb application rejected the inbound call before it could be answered.",
        AppNoPercl = "appNoPercl" => "FreeClimb hung up the call because the application provided no PerCL when it was needed to continue the call.",
        AppInvalidPercl = "appInvalidPercl" => "The PerCL provided by the application had an error; FreeClimb's logs have details.",
        ConferenceTerminated = "conferenceTerminated" => "The call was in a conference that was terminated, which hangs up the call.",
        ConferenceEmptied = "conferenceEmptied" => "The call was in a conference that was emptied, which hangs up the call.",
        RemovedFromConference = "removedFromConference" => "The call was removed from a conference without a leaveConference URL, so it was hung up.",
        MachineDetected = "machineDetected" => "A fax or answering machine was detected on an outbound call and hanging up was requested.",
        WebhookFailed = "webhookFailed" => "FreeClimb failed to invoke a webhook of the application to get more PerCL.",
        WebhookInvalidResponse = "webhookInvalidResponse" => "A webhook of the application returned a bad response when FreeClimb asked for more PerCL.",
        VoiceDisabled = "voiceDisabled" => "The FreeClimb number is not voice enabled.",
        ConfigErrorNoApplication = "configErrorNoApplication" => "The phone number owned by the account has no Application resource.",
        ConfigErrorNoVoiceUrl = "configErrorNoVoiceUrl" => "The Application linked to the phone number has no voice URL.",
        MaxRedirectsError = "maxRedirectsError" => "The call reached the maximum of 256 redirect commands, which suggests a loop, so it was hung up.",
        PerclProcessingError = "perclProcessingError" => "FreeClimb hit an error while processing PerCL for the call.",
        InternalError = "internalError" => "FreeClimb hit an internal error; contact FreeClimb support if it persists.",
        GrpcHangup = "grpcHangup" => "The call was hung up through gRPC.",
        MaxDuration = "maxDuration" => "The call was hung up because it exceeded FreeClimb's maximum duration of 6 hours.",
    }
}

impl KnownCallEndedReason {
    /// Whether the reason ends a call that had been connected, which is what
    /// a `completed` callStatus means.
    pub fn ends_connected_call(self) -> bool {
        !matches!(
            self,
            KnownCallEndedReason::Busy
                | KnownCallEndedReason::Failed
                | KnownCallEndedReason::NoAnswer
                | KnownCallEndedReason::CallCanceled
                | KnownCallEndedReason::AppReject
                | KnownCallEndedReason::VoiceDisabled
                | KnownCallEndedReason::ConfigErrorNoApplication
                | KnownCallEndedReason::ConfigErrorNoVoiceUrl
        )
    }

    /// Whether only an inbound call can end for this reason.
    pub fn is_inbound_only(self) -> bool {
        matches!(
            self,
            KnownCallEndedReason::AppReject
                | KnownCallEndedReason::VoiceDisabled
                | KnownCallEndedReason::ConfigErrorNoApplication
                | KnownCallEndedReason::ConfigErrorNoVoiceUrl
        )
    }

    /// Whether only an outbound call can end for this reason.
    pub fn is_outbound_only(self) -> bool {
        self == KnownCallEndedReason::MachineDetected
    }
}

/// A `callEndedReason` as received: a documented value, or a newer one kept
/// verbatim so that lenient handlers lose nothing.
///
/// ```
/// use freeclimb_callstatus::{CallEndedReason, KnownCallEndedReason};
///
/// let known = CallEndedReason::from_wire("farEndHangup");
/// assert_eq!(known, CallEndedReason::Known(KnownCallEndedReason::FarEndHangup));
/// assert!(known.meaning().is_some());
///
/// let newer = CallEndedReason::from_wire("carrierHangup");
/// assert_eq!(newer.as_str(), "carrierHangup");
/// assert_eq!(newer.meaning(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum CallEndedReason {
    /// One of the 23 documented values.
    Known(KnownCallEndedReason),
    /// A value this version does not know (only accepted in lenient mode).
    Unknown(String),
}

impl CallEndedReason {
    /// Parses a wire value, keeping unknown ones.
    pub fn from_wire(value: &str) -> Self {
        match KnownCallEndedReason::from_wire(value) {
            Some(known) => CallEndedReason::Known(known),
            None => CallEndedReason::Unknown(value.to_owned()),
        }
    }

    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        match self {
            CallEndedReason::Known(known) => known.as_str(),
            CallEndedReason::Unknown(value) => value,
        }
    }

    /// The documented meaning, or `None` for an unknown value.
    pub fn meaning(&self) -> Option<&'static str> {
        match self {
            CallEndedReason::Known(known) => Some(known.meaning()),
            CallEndedReason::Unknown(_) => None,
        }
    }
}

impl fmt::Display for CallEndedReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

wire_enum! {
    /// The `direction` of a call. FreeClimb's webhook text calls REST-initiated
    /// calls `outbound`, its SDKs and OpenAPI spec `outboundAPI`; both occur.
    Direction {
        Inbound = "inbound" => "The call came in to a FreeClimb number.",
        Outbound = "outbound" => "The call was initiated through the REST API (the spelling of FreeClimb's webhook reference).",
        OutboundApi = "outboundAPI" => "The call was initiated through the REST API (the spelling of FreeClimb's SDKs and OpenAPI spec).",
        OutboundDial = "outboundDial" => "The call was initiated by the OutDial PerCL command; it is a child leg of another call.",
    }
}

impl Direction {
    /// Whether the call was placed by FreeClimb rather than received.
    pub fn is_outbound(self) -> bool {
        self != Direction::Inbound
    }
}

/// The maximum duration of a FreeClimb call, in seconds (6 hours).
pub const MAX_CALL_DURATION_SECONDS: u64 = 21_600;

/// A callStatus webhook body, normalised: durations as seconds, enumerations
/// typed. Fields that FreeClimb documents on every request but that a lenient
/// validation allowed to be missing are `None`.
///
/// [`validate`](fn@crate::validate) builds it from a body without errors, and
/// [`CallStatusPayload::to_json`] gives the JSON the npm package returns.
///
/// ```
/// use freeclimb_callstatus::{validate, CallStatus, Direction, Options};
///
/// let body = concat!(
///     r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
///     r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
///     r#""to":"+13121000096","callStatus":"noAnswer","direction":"outboundAPI","#,
///     r#""conferenceId":null,"queueId":null,"callDuration":"25","parentCallId":null}"#
/// );
/// let report = validate(body.as_bytes(), &Options::default());
/// let call = report.payload.expect("lenient mode only warns about the missing reason");
///
/// assert_eq!(call.call_status, CallStatus::NoAnswer);
/// assert!(call.call_status.is_final());
/// assert!(call.direction.is_outbound());
/// assert_eq!(call.call_ended_reason, None);
/// assert_eq!(call.call_duration, Some(25));
/// assert!(call.to_json().contains(r#""callDuration":25"#));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct CallStatusPayload {
    /// Always `callStatus`.
    pub request_type: String,
    /// `CA` followed by 40 hexadecimal digits.
    pub call_id: String,
    /// `AC` followed by 40 hexadecimal digits.
    pub account_id: String,
    /// The calling party, normally in E.164 form; withheld caller ids are kept as sent.
    pub from: String,
    /// The called party, normally in E.164 form.
    pub to: String,
    /// The final status of the call.
    pub call_status: CallStatus,
    /// FreeClimb's detailed reason, absent from senders that predate it.
    pub call_ended_reason: Option<CallEndedReason>,
    /// The direction of the call: received, or placed by FreeClimb.
    pub direction: Direction,
    /// Documented as always null for this webhook.
    pub conference_id: Option<String>,
    /// Documented as always null for this webhook.
    pub queue_id: Option<String>,
    /// Seconds, including ring time.
    pub call_duration: Option<u64>,
    /// URL of the full-call recording, when one was requested.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none", default))]
    pub recording_url: Option<String>,
    /// `RE` followed by 40 hexadecimal digits, or empty for a zero-length recording.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none", default))]
    pub recording_id: Option<String>,
    /// Recording length in seconds, rounded up.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none", default))]
    pub recording_duration_sec: Option<u64>,
    /// The `CA` id of the call that created this leg, for child legs.
    pub parent_call_id: Option<String>,
}
