"""The typed model of a consortium: the single source of truth (pydantic, no I/O).

Every output (agreement, certificates, exports) is a view of a
:class:`Consortium`. Derived facts, such as the end of the term or the
awarding bodies on a date, are methods of the model, computed only here.
"""

from unadocs.model.base import CountryCode, LanguageCode, Money, PartnerId, SpecModel, country_name, language_name
from unadocs.model.consortium import Consortium
from unadocs.model.credential import Course, Credential, Lifespan, Stackability
from unadocs.model.enums import (
    AccessionDecision,
    AgreementStatus,
    BackgroundIP,
    CertificateForm,
    Cycle,
    DataProtectionMode,
    DataProtectionRoles,
    DecisionRule,
    DisputeResolution,
    FinanceModel,
    LanguageLevel,
    MaterialsOwnership,
    Participation,
    PartnerRole,
    Renewal,
    Responsibility,
    Review,
    StackabilityMode,
    Supervision,
)
from unadocs.model.learner import Learner
from unadocs.model.licences import CREATIVE_COMMONS, NON_EXCLUSIVE_ROYALTY_FREE, Licence
from unadocs.model.fees import CoursePart, FeeSplit
from unadocs.model.jurisdictions import Jurisdiction, law_name
from unadocs.model.partner import OfficialIdentifier, Partner, Person, Signatory
from unadocs.model.terms import (
    MAX_TERM_YEARS,
    Accession,
    AccessionEntry,
    AgreementInfo,
    Branding,
    CertificateSettings,
    DataProtection,
    Fee,
    Finance,
    Governance,
    IntellectualProperty,
    Law,
    Liability,
    LogoLicence,
    TeachingMaterials,
    Term,
)

__all__ = [
    "Accession", "AccessionDecision", "CoursePart", "FeeSplit", "Jurisdiction", "Liability", "OfficialIdentifier",
    "law_name", "AccessionEntry", "AgreementInfo", "AgreementStatus", "BackgroundIP",
    "Branding", "CREATIVE_COMMONS", "CertificateForm", "CertificateSettings", "Consortium", "CountryCode", "Course",
    "Credential", "Cycle", "DataProtection", "DataProtectionMode", "DataProtectionRoles", "DecisionRule",
    "DisputeResolution", "Fee", "Finance", "FinanceModel", "Governance", "IntellectualProperty", "LanguageCode",
    "LanguageLevel", "Law", "Learner", "Licence", "Lifespan", "LogoLicence", "MAX_TERM_YEARS", "MaterialsOwnership", "Money",
    "NON_EXCLUSIVE_ROYALTY_FREE", "Participation", "Partner", "PartnerId", "PartnerRole", "Person", "Renewal",
    "Responsibility", "Review", "Signatory", "SpecModel", "Stackability", "StackabilityMode", "Supervision",
    "TeachingMaterials", "Term", "country_name", "language_name",
]
