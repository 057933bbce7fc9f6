"""The enumerated choices of a spec.

Each value is written in the spec exactly as the enum's value. The clause
library selects variants on these values, so adding a member here usually
means adding a clause variant too.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AgreementStatus",
    "PartnerRole",
    "Cycle",
    "Supervision",
    "Participation",
    "LanguageLevel",
    "StackabilityMode",
    "Responsibility",
    "DecisionRule",
    "AccessionDecision",
    "FinanceModel",
    "CertificateForm",
    "BackgroundIP",
    "MaterialsOwnership",
    "DataProtectionMode",
    "DataProtectionRoles",
    "Review",
    "Renewal",
    "DisputeResolution",
]


class AgreementStatus(StrEnum):
    """Where the agreement stands. Certificates under a draft are specimens."""

    DRAFT = "draft"
    APPROVED = "approved"
    SIGNED = "signed"


class PartnerRole(StrEnum):
    """A partner's role: exactly one lead university, the rest partners."""

    LEAD = "lead"
    PARTNER = "partner"


class Cycle(StrEnum):
    """The QF-EHEA cycle, which fixes the EQF level."""

    SHORT = "short"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"

    @property
    def eqf_level(self) -> int:
        return {"short": 5, "first": 6, "second": 7, "third": 8}[self.value]


class Supervision(StrEnum):
    """Supervision and identity verification during assessment (optional element)."""

    UNSUPERVISED_NO_IDENTITY_CHECK = "unsupervised-no-identity-check"
    SUPERVISED_NO_IDENTITY_CHECK = "supervised-no-identity-check"
    SUPERVISED_ONLINE_IDENTITY_CHECK = "supervised-online-identity-check"
    SUPERVISED_ONSITE_IDENTITY_CHECK = "supervised-onsite-identity-check"


class Participation(StrEnum):
    """The form of participation in the learning activity (mandatory element)."""

    ONLINE = "online"
    ON_SITE = "on-site"
    HYBRID = "hybrid"
    BLENDED = "blended"


class LanguageLevel(StrEnum):
    """A CEFR level; the framework recommends at least B1 (§3.2.8)."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class StackabilityMode(StrEnum):
    """Whether the micro-credential stacks into a larger credential (§3.2.6)."""

    STANDALONE = "standalone"
    STACKABLE = "stackable"


class Responsibility(StrEnum):
    """A task a partner takes on in running the micro-credential (§5, element 2)."""

    RECRUITMENT = "recruitment"
    ADMISSION = "admission"
    REGISTRATION = "registration"
    TEACHING = "teaching"
    ASSESSMENT = "assessment"
    COMPLAINTS = "complaints"
    QUALITY_ASSURANCE = "quality-assurance"
    CERTIFICATES = "certificates"
    PLATFORM = "platform"
    MARKETING = "marketing"
    FINANCE = "finance"
    RECOGNITION = "recognition"
    STUDENT_SUPPORT = "student-support"


class DecisionRule(StrEnum):
    """How the management committee decides."""

    CONSENSUS = "consensus"
    MAJORITY = "majority"
    TWO_THIRDS = "two-thirds"


class AccessionDecision(StrEnum):
    """The vote needed to admit a new partner."""

    UNANIMOUS = "unanimous"
    TWO_THIRDS = "two-thirds"
    MAJORITY = "majority"


class FinanceModel(StrEnum):
    """The financial models of framework §3.4.3."""

    CENTRALISED = "centralised"
    DECENTRALISED = "decentralised"
    MIXED = "mixed"


class CertificateForm(StrEnum):
    """The form of the joint certificate."""

    DIGITAL = "digital"
    PAPER = "paper"
    BOTH = "both"


class BackgroundIP(StrEnum):
    """What happens to the intellectual property each partner brings."""

    RETAINED = "retained"


class MaterialsOwnership(StrEnum):
    """Who owns teaching materials created for the micro-credential."""

    CREATOR_INSTITUTION = "creator-institution"
    JOINT = "joint"


class DataProtectionMode(StrEnum):
    """Whether data protection is settled by reference to another agreement or in full."""

    REFERENCE = "reference"
    FULL = "full"


class DataProtectionRoles(StrEnum):
    """The partners' GDPR roles towards learners' personal data."""

    JOINT_CONTROLLERS = "joint-controllers"
    CONTROLLER_PROCESSOR = "controller-processor"
    INDEPENDENT_CONTROLLERS = "independent-controllers"


class Review(StrEnum):
    """How often the partners review the agreement."""

    ANNUAL = "annual"
    MID_TERM = "mid-term"
    NONE = "none"


class Renewal(StrEnum):
    """How the agreement may be renewed. Tacit renewal is not allowed (§5, element 12)."""

    BY_WRITTEN_AGREEMENT = "by-written-agreement"
    NONE = "none"


class DisputeResolution(StrEnum):
    """How disputes are settled."""

    AMICABLE_THEN_COURTS = "amicable-then-courts"
    AMICABLE_THEN_MEDIATION_THEN_COURTS = "amicable-then-mediation-then-courts"
    ARBITRATION = "arbitration"
