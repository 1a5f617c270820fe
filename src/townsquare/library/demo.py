"""The hand-written Library demo: about twenty-five resources of every type and access level,
written for this project, with real PDF and Word files (so search inside files works), a book
with chapters, a policy with two versions, collections and a toolkit, a member's submission
waiting for review and a request for access waiting for the organization's leader.

Called by ``townsquare demo`` after the accounts demo (whose people it uses). Idempotent like the
other demos: when the starter toolkit exists the whole library demo is there and nothing changes.
Resources go through the library's services (create, versions with files, publish), so files are
checked, stored under generated names, their text extracted after the commit and everything
indexed for search; the submission and the access request go through the submissions' and
access services. Publication dates are then moved into the past so the catalog has a history.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from townsquare.accounts import demo as accounts_demo
from townsquare.accounts.models import Organization, User

from .models import (
    Access,
    Audience,
    Collection,
    License,
    Resource,
    ResourceStatus,
    ResourceType,
    ResourceUsage,
    Topic,
)
from .services import collections as collection_services
from .services import resources as resource_services
from .services.collections import CollectionFields
from .services.resources import AuthorInput, ChapterInput, ResourceFields

STAFF = "staff@townsquare.example"
INSTRUCTOR = "instructor@townsquare.example"
COACH = "coach@townsquare.example"
NURSE = "nurse@riverside-health.example"
PHYSICIAN = "physician@riverside-health.example"
LEADER = "leader@riverside-health.example"
RIVERSIDE = "Riverside Health System"
LAKEVIEW = "Lakeview Children's Hospital"
NORTHFIELD = "Northfield Community Clinic"
ASSOCIATION = "Association of Health Communicators"

STARTER_TOOLKIT_SLUG = "starter-toolkit-social-media-for-a-new-clinic"
PRIVACY_COLLECTION_SLUG = "patient-privacy-reading-list"
CLINIC_TOOLKIT_SLUG = "social-media-toolkit-for-clinics"
BOOK_SLUG = "health-care-social-media-a-practical-handbook"
MODEL_POLICY_SLUG = "model-social-media-policy-for-hospitals"
RIVERSIDE_POLICY_SLUG = "riverside-health-system-social-media-policy"
PREMIUM_PAPER_SLUG = "measuring-the-impact-of-hospital-social-media"
SUBMISSION_TITLE = "Hospitalists on social media: a one-page guide"

TOPICS = (
    "Patient privacy",
    "Policy and governance",
    "Crisis communication",
    "Online reviews",
    "Video",
    "Professionalism",
    "Analytics",
    "Patient communities",
    "Recruitment",
    "Public health",
    "Accessibility",
)


@dataclass(frozen=True)
class FileSpec:
    """A generated document: ``kind`` pdf or docx, a heading and paragraphs of real text."""

    name: str
    kind: str
    heading: str
    paragraphs: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class ResourceSpec:
    slug: str
    kind: str
    title: str
    summary: str
    body: str
    access: str = Access.PUBLIC
    audience: str = Audience.EVERYONE
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ("org:Townsquare Center",)
    organization: str = ""
    is_listed: bool = True
    license: str = License.CC_BY_NC
    published_days_ago: int = 30
    status: str = ResourceStatus.PUBLISHED
    review_by_days: int | None = None  # from today; negative = overdue
    files: tuple[FileSpec, ...] = ()
    chapters: tuple[tuple[str, str], ...] = ()
    doi: str = ""
    isbn: str = ""
    language: str = "en"
    views: tuple[int, ...] = field(default=())  # per month, most recent first


# --- The texts ----------------------------------------------------------------------------------

PRIVACY_PARAGRAPHS = (
    "Patients share their stories online every day, and clinicians are right to take part in "
    "those conversations. But a post that feels anonymous can still identify a patient: a date, "
    "a rare diagnosis, a photo of a hallway or the name of a small town is often enough.",
    "Under HIPAA, protected health information (PHI) includes any of the eighteen identifiers "
    "when it is linked to health information. On social media the combination matters more than "
    "any single detail. Before posting about a clinical encounter, ask whether the patient, their "
    "family or their neighbours could recognise the case.",
    "Never confirm that someone is a patient, even when they have posted about their own care. "
    'Reply in general terms and invite them to a private channel: "We are sorry to hear this. '
    'Please call our patient relations team so we can look into it."',
    "Photos and videos need written consent that names the channel and the purpose. Consent for "
    "the hospital newsletter is not consent for Instagram. Keep the signed form with the asset "
    "and record when it expires.",
    "When a breach happens, remove the post, document what was shared and for how long, and tell "
    "the privacy officer the same day. Speed limits the harm; silence multiplies it.",
)

REVIEWS_PARAGRAPHS = (
    "Online reviews are the front door of a practice. Most people read them before choosing a "
    "clinician, and a thoughtful reply is read by far more people than the review itself.",
    "Respond to every review within two business days, positive or negative. Thank people for "
    "positive reviews without adding clinical details. For negative reviews, acknowledge the "
    "experience, apologise for how they feel, and move the conversation offline.",
    "Never argue the facts of a case in public and never reveal that the reviewer was a patient. "
    'Even a correction ("our records show you arrived late") discloses protected information.',
    "Fake or abusive reviews can be reported to the platform. Keep a log of what was reported "
    "and when; platforms respond better to a clear, documented pattern.",
)

MEASUREMENT_PARAGRAPHS = (
    "Hospitals post more than ever, yet few can say what their social media achieves. This paper "
    "proposes a measurement framework in three layers: reach, engagement and outcomes.",
    "Reach counts how many people saw the content. Engagement counts what they did with it: "
    "shares, saves, comments and clicks. Outcomes connect the activity to goals the organization "
    "already tracks, such as appointment requests, vaccine uptake, job applications or donations.",
    "We studied twelve health systems over eighteen months. The systems that set one outcome per "
    "campaign before it started were three times as likely to report a measurable change in that "
    "outcome as those that measured after the fact.",
    "Vanity metrics are not useless, but they are early signals, not results. A patient story "
    "with modest reach that drives fifty screening appointments beats a viral post that drives "
    "none.",
    "We recommend a quarterly dashboard with no more than six indicators, reviewed by "
    "communications and clinical leaders together.",
)

CRISIS_PARAGRAPHS = (
    "Holding statement, first hour: We are aware of reports of [incident] at [location]. The "
    "safety of our patients, visitors and staff is our first concern. We will share verified "
    "information here as soon as we have it.",
    "Holding statement, service disruption: Because of [cause], [service] is unavailable at "
    "[location] today. Patients with appointments will be contacted directly. For urgent care, "
    "please go to [alternative].",
    "Holding statement, misinformation: We have seen posts claiming [claim]. This is not "
    "accurate. [Fact, one sentence.] The full statement is on our website.",
    "Approval: every statement is approved by the incident commander and the communications "
    "lead. Post on all channels at the same time and pin it.",
)

CALENDAR_PARAGRAPHS = (
    "Month at a glance: plan four themes a month, one a week, tied to health observances and to "
    "the services your organization wants to grow.",
    "Monday: a patient or staff story (with consent). Wednesday: practical health advice from a "
    "clinician. Friday: behind the scenes, a team, a milestone or a thank-you.",
    "For each post record the channel, the owner, the approver, the asset and the call to "
    "action. Leave one slot a week empty for news you cannot plan.",
)

CONSENT_PARAGRAPHS = (
    "I agree that [organization] may use photographs, video and quotations of me (or of my "
    "child) for the purposes described below.",
    "Channels: the organization's website, newsletters and the following social media accounts: "
    "Facebook, Instagram, LinkedIn, YouTube and TikTok.",
    "I understand that content posted on social media may be shared by others and cannot always "
    "be removed. I may withdraw my consent for future use at any time by writing to the "
    "communications office.",
    "This consent expires three years after the date below unless I renew it.",
)

MANUAL_PARAGRAPHS = (
    "This manual is for communications teams running the official accounts of a hospital or "
    "health system. It covers governance, daily operations, community management and reporting.",
    "Governance: keep a register of every official account with its owner, its purpose, two "
    "administrators and the date it was last reviewed. Close accounts nobody posts to.",
    "Daily operations: check the inbox three times a day; answer questions about access and "
    "directions directly; route clinical questions to the nurse line; never give individual "
    "medical advice in comments.",
    "Community management: hide comments that include personal health details of someone else, "
    "threats or spam, and record why. Do not delete criticism.",
    "Reporting: a monthly report of reach, engagement and the outcomes agreed with each service "
    "line, with one lesson learned.",
)

ACCESSIBILITY_PARAGRAPHS = (
    "Write alt text for every image: say what matters in the picture for the post, in one or two "
    'sentences. Do not start with "image of".',
    "Caption every video, including short clips. Auto-captions are a draft: correct drug names, "
    "names of people and medical terms before publishing.",
    "Use camel case in hashtags (#PatientSafety, not #patientsafety) so screen readers read them "
    "as words. Put hashtags at the end of the post.",
    "Write in plain language: short sentences, common words, one idea per sentence. Aim for a "
    "reading age of twelve for patient-facing posts.",
)

MISINFORMATION_PARAGRAPHS = (
    "Health misinformation spreads faster than corrections, but corrections work when they are "
    "quick, specific and come from trusted local voices.",
    "Hospitals have three assets: clinicians the community already trusts, the ability to answer "
    "questions in the local language, and channels people follow for practical information.",
    "We recommend prebunking before campaigns (explaining a common false claim before people meet "
    "it), answering questions rather than arguing with claims, and partnering with community "
    "leaders who can carry the message further than the hospital's own accounts.",
)

BOOK_CHAPTERS = (
    (
        "Why health care belongs on social media",
        "Patients search for health information online before, during and after their visits. "
        "When health professionals are absent from those conversations, others fill the space.\n\n"
        "This chapter sets out the case for taking part: patients find trustworthy answers, "
        "clinicians learn what worries their community, and organizations earn trust that pays "
        "off in a crisis.\n\n"
        "## Key points\n\n- Presence is a public-health act.\n- Listening comes before posting.\n"
        "- Start small and be consistent.",
    ),
    (
        "Protecting patient privacy",
        "Privacy is the first rule and the one most often broken by accident. A post that names "
        "no one can still identify a patient through a date, a rare condition or a photo.\n\n"
        "## Practical rules\n\n1. Never confirm someone is a patient.\n2. Get written consent "
        "that names the channel.\n3. When in doubt, leave it out.\n\nThe chapter closes with "
        "ten real cases, anonymised, and what each teaches.",
    ),
    (
        "Personal and professional accounts",
        "Clinicians are professionals online as well as offline. Many keep separate accounts; "
        "others use one account carefully. Either way, disclose your affiliation when you "
        "discuss your field, and say that your views are your own.\n\nPatients may find your "
        "personal accounts. Do not accept friend requests from current patients on personal "
        "accounts; point them to your practice's official channels instead.",
    ),
    (
        "Answering patients and reviews online",
        "Every reply is public. Thank, acknowledge, take it offline. Never argue the facts of a "
        "case, and never reveal that a reviewer is a patient.\n\nThis chapter includes reply "
        "templates for praise, complaints about waiting times, billing disputes and reviews "
        "that contain false claims.",
    ),
    (
        "Video and short-form content",
        "Short video is now the main way many people meet health information. Clinicians who "
        "explain one thing clearly in under a minute reach audiences text never will.\n\n## A "
        "simple recipe\n\n- One question per video.\n- Answer in the first five seconds.\n"
        "- Caption everything.\n- End with where to get care.",
    ),
    (
        "Measuring what matters",
        "Measure outcomes, not only activity. Agree one outcome per campaign before it starts: "
        "appointments booked, vaccines given, applications received.\n\nA quarterly dashboard "
        "of no more than six indicators, reviewed by clinical and communications leaders "
        "together, keeps the work honest.",
    ),
)

RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec(
        CLINIC_TOOLKIT_SLUG,
        ResourceType.TOOLKIT,
        "Social media toolkit for clinics",
        "Everything a small clinic needs to open its first official social media accounts: a "
        "checklist, a posting plan, privacy rules and reply templates.",
        "## How to use this toolkit\n\nWork through the checklist in order. Most clinics finish "
        "the set-up in two weeks with one person spending an hour a day.\n\n1. Decide who owns "
        "the accounts and who approves posts.\n2. Register the accounts in the clinic's name, "
        "with two administrators.\n3. Write your house rules for comments.\n4. Plan your first "
        "month of posts with the content calendar template.\n5. Train everyone who posts on "
        "patient privacy.",
        topics=("Policy and governance", "Patient privacy"),
        audience=Audience.COMMUNICATORS,
        published_days_ago=200,
        files=(
            FileSpec(
                "clinic-social-media-checklist.pdf",
                "pdf",
                "Clinic social media checklist",
                (
                    "Accounts registered in the clinic's name, not a person's.",
                    "Two administrators for every account; passwords in the clinic's password "
                    "manager.",
                    "House rules for comments published on each account.",
                    "Everyone who posts has completed patient privacy training this year.",
                    "Consent forms ready for photos and stories of patients.",
                    "A named person answers messages at least three times a day.",
                ),
                title="Checklist (PDF)",
            ),
        ),
        views=(42, 38, 51, 29),
    ),
    ResourceSpec(
        "social-media-manual-for-health-care-communicators",
        ResourceType.MANUAL,
        "Social media manual for health-care communicators",
        "The operating manual for teams running a hospital's official accounts: governance, "
        "daily routines, community management and monthly reporting.",
        "This manual is maintained by the center and updated every year. The Word version can "
        "be adapted to your organization.",
        access=Access.MEMBER,
        audience=Audience.COMMUNICATORS,
        topics=("Policy and governance", "Analytics"),
        authors=("staff@townsquare.example", "coach@townsquare.example"),
        published_days_ago=150,
        files=(
            FileSpec(
                "communicators-manual.docx",
                "docx",
                "Social media manual for health-care communicators",
                MANUAL_PARAGRAPHS,
            ),
        ),
        views=(25, 31, 19),
    ),
    ResourceSpec(
        BOOK_SLUG,
        ResourceType.BOOK,
        "Health Care Social Media: A Practical Handbook",
        "A short book for clinicians and communicators: why to take part, how to protect "
        "privacy, personal and professional accounts, answering patients, video and measurement.",
        "Each chapter stands alone and ends with key points. Read it in order or start with the "
        "chapter you need today.",
        topics=("Professionalism", "Patient privacy", "Video"),
        authors=("instructor@townsquare.example", "staff@townsquare.example"),
        audience=Audience.CLINICIANS,
        published_days_ago=400,
        chapters=BOOK_CHAPTERS,
        isbn="978-0-306-40615-7",
        license=License.CC_BY_NC_ND,
        views=(64, 58, 70, 66, 61),
    ),
    ResourceSpec(
        "patient-privacy-and-social-media",
        ResourceType.WHITE_PAPER,
        "Patient privacy and social media: where HIPAA meets the feed",
        "How the privacy rule applies to posts, comments, photos and direct messages, with the "
        "mistakes we see most often and how to avoid them.",
        "Read the full paper in the PDF. A one-page summary is in the starter toolkit.",
        topics=("Patient privacy", "Policy and governance"),
        audience=Audience.CLINICIANS,
        authors=("instructor@townsquare.example",),
        published_days_ago=120,
        doi="10.5555/townsquare.privacy.2024",
        license=License.CC_BY,
        files=(
            FileSpec(
                "privacy-and-social-media.pdf",
                "pdf",
                "Patient privacy and social media",
                PRIVACY_PARAGRAPHS,
            ),
        ),
        views=(88, 73, 95),
    ),
    ResourceSpec(
        PREMIUM_PAPER_SLUG,
        ResourceType.WHITE_PAPER,
        "Measuring the impact of hospital social media",
        "A three-layer framework (reach, engagement, outcomes) tested with twelve health "
        "systems over eighteen months, with the dashboard we recommend.",
        "The framework and the study are in the PDF; the dashboard template is in the appendix.",
        access=Access.PREMIUM,
        audience=Audience.LEADERS,
        topics=("Analytics",),
        authors=("org:Townsquare Center", "coach@townsquare.example"),
        published_days_ago=60,
        doi="10.5555/townsquare.impact.2025",
        files=(
            FileSpec(
                "measuring-impact.pdf",
                "pdf",
                "Measuring the impact of hospital social media",
                MEASUREMENT_PARAGRAPHS,
            ),
        ),
        views=(17, 22),
    ),
    ResourceSpec(
        "guidelines-for-responding-to-online-reviews",
        ResourceType.GUIDELINE,
        "Guidelines for responding to online reviews",
        "When and how to answer reviews of your practice or hospital without disclosing "
        "anything about the reviewer's care.",
        "These guidelines apply to every review site and map listing.",
        access=Access.MEMBER,
        audience=Audience.CLINICIANS,
        topics=("Online reviews", "Patient privacy"),
        published_days_ago=90,
        review_by_days=200,
        files=(
            FileSpec(
                "responding-to-reviews.docx",
                "docx",
                "Responding to online reviews",
                REVIEWS_PARAGRAPHS,
            ),
        ),
        views=(33, 27),
    ),
    ResourceSpec(
        "guidelines-for-clinicians-on-personal-accounts",
        ResourceType.GUIDELINE,
        "Guidelines for clinicians on personal accounts",
        "Disclosing your affiliation, separating personal and professional accounts, and what "
        "to do when a patient finds you online.",
        "## The short version\n\n- Say who you work for when you talk about your field, and "
        "that your views are your own.\n- Do not accept friend requests from current patients on "
        "personal accounts.\n- Never post about a patient, even without a name.\n- If in doubt, "
        "ask the communications team before posting.",
        topics=("Professionalism",),
        audience=Audience.CLINICIANS,
        published_days_ago=500,
        review_by_days=-20,
        views=(12, 15, 9),
    ),
    ResourceSpec(
        "accessible-social-media-posts",
        ResourceType.GUIDELINE,
        "Accessible social media posts: alt text, captions and plain language",
        "Four habits that make every post readable by more people, including people using "
        "screen readers and people reading in a second language.",
        "The PDF is a one-page poster for the communications office wall.",
        topics=("Accessibility",),
        audience=Audience.COMMUNICATORS,
        published_days_ago=45,
        license=License.CC_BY_SA,
        review_by_days=300,
        files=(
            FileSpec(
                "accessible-posts.pdf",
                "pdf",
                "Accessible social media posts",
                ACCESSIBILITY_PARAGRAPHS,
            ),
        ),
    ),
    ResourceSpec(
        "misinformation-and-public-health",
        ResourceType.WHITE_PAPER,
        "Misinformation and public health: what hospitals can do",
        "Prebunking, answering questions instead of arguing with claims, and working with "
        "community leaders: what the evidence says hospitals can do about health misinformation.",
        "A summary for leaders; the full paper is attached.",
        access=Access.MEMBER,
        audience=Audience.LEADERS,
        topics=("Public health", "Crisis communication"),
        published_days_ago=75,
        files=(
            FileSpec(
                "misinformation.pdf",
                "pdf",
                "Misinformation and public health",
                MISINFORMATION_PARAGRAPHS,
            ),
        ),
    ),
    ResourceSpec(
        "content-calendar-template",
        ResourceType.TEMPLATE,
        "Content calendar template",
        "A month-by-month plan for a hospital's social media, with weekly themes, owners and "
        "approvers. Word format, ready to adapt.",
        "Copy the template each month. Keep one slot a week free for news.",
        access=Access.MEMBER,
        audience=Audience.COMMUNICATORS,
        topics=("Analytics",),
        published_days_ago=100,
        license=License.CC0,
        files=(
            FileSpec(
                "content-calendar.docx", "docx", "Content calendar template", CALENDAR_PARAGRAPHS
            ),
        ),
    ),
    ResourceSpec(
        "crisis-communication-holding-statements",
        ResourceType.TEMPLATE,
        "Crisis communication: holding statements",
        "Pre-approved first statements for incidents, service disruptions and misinformation, "
        "for the first hour of a crisis.",
        "For center staff and the on-call communications lead.",
        access=Access.STAFF,
        audience=Audience.COMMUNICATORS,
        topics=("Crisis communication",),
        published_days_ago=30,
        license=License.ALL_RIGHTS,
        files=(
            FileSpec("holding-statements.docx", "docx", "Holding statements", CRISIS_PARAGRAPHS),
        ),
    ),
    ResourceSpec(
        "patient-consent-form-for-photos-and-stories",
        ResourceType.TEMPLATE,
        "Patient consent form for photos and stories",
        "A plain-language consent form for using patients' photos, video and stories on the "
        "website and social media, with an expiry date.",
        "Have the form reviewed by your privacy officer before first use.",
        topics=("Patient privacy",),
        audience=Audience.COMMUNICATORS,
        published_days_ago=80,
        license=License.CC0,
        files=(
            FileSpec(
                "consent-form.docx", "docx", "Consent for photos and stories", CONSENT_PARAGRAPHS
            ),
        ),
    ),
    ResourceSpec(
        "short-video-for-clinicians-workshop",
        ResourceType.VIDEO,
        "Short video for clinicians: a five-minute workshop",
        "How to explain one health question clearly in under a minute, filmed with a phone.",
        "Watch the recording: https://video.example/townsquare/short-video-workshop\n\n"
        "## In this video\n\n- Choosing one question\n- Answering in the first five seconds\n"
        "- Light and sound with a phone\n- Captions",
        topics=("Video",),
        audience=Audience.CLINICIANS,
        authors=("instructor@townsquare.example",),
        published_days_ago=20,
        license=License.CC_BY,
        views=(40,),
    ),
    ResourceSpec(
        "webinar-recording-answering-patients-online",
        ResourceType.VIDEO,
        "Webinar recording: answering patients online",
        "The recording of the monthly webinar on replying to patients' questions and complaints "
        "in public, with the slides.",
        "Recording: https://video.example/townsquare/answering-patients-online (captions "
        "included).",
        access=Access.MEMBER,
        topics=("Online reviews", "Professionalism"),
        authors=("coach@townsquare.example",),
        published_days_ago=35,
    ),
    ResourceSpec(
        "lakeview-childrens-answered-a-viral-complaint",
        ResourceType.CASE_STUDY,
        "How Lakeview Children's answered a viral complaint",
        "A parent's post about a long wait in the emergency department reached two million "
        "people in a day. What the hospital did in the first hour, the first day and the first "
        "week.",
        "## The first hour\n\nThe team acknowledged the post publicly within forty minutes, "
        "without confirming any detail of the child's visit, and invited the family to talk "
        "privately.\n\n## The first day\n\nA short video from the department's medical director "
        "explained how triage works, without mentioning the family.\n\n## What changed\n\nThe "
        "hospital now shows expected waiting times on its website.",
        topics=("Crisis communication", "Online reviews"),
        authors=(f"org:{LAKEVIEW}",),
        organization=LAKEVIEW,
        published_days_ago=160,
    ),
    ResourceSpec(
        "northfield-vaccine-questions-on-social-media",
        ResourceType.CASE_STUDY,
        "Northfield Community Clinic: answering vaccine questions on social media",
        "A community clinic ran weekly live question sessions with its nurses during a measles "
        "outbreak; vaccinations among children under five rose by a fifth.",
        "The clinic chose questions, not claims: each week nurses answered the ten most common "
        "questions from the community in English and Spanish.",
        access=Access.MEMBER,
        topics=("Public health", "Video"),
        authors=(f"org:{NORTHFIELD}",),
        organization=NORTHFIELD,
        published_days_ago=110,
    ),
    ResourceSpec(
        "moderating-a-patient-community",
        ResourceType.MANUAL,
        "Moderating a patient community",
        "House rules, moderation routines and escalation paths for online patient communities "
        "run by hospitals and patient organizations.",
        "## House rules\n\nShare your own experience, not anyone else's health details. No "
        "medical advice to individuals. Be kind.\n\n## Escalation\n\nA post suggesting someone is "
        "at risk of harm goes to the on-call clinician at once.",
        access=Access.PREMIUM,
        topics=("Patient communities",),
        authors=("moderator@townsquare.example",),
        published_days_ago=70,
    ),
    ResourceSpec(
        "physician-online-reputation-toolkit",
        ResourceType.TOOLKIT,
        "Physician online reputation toolkit",
        "Claiming your profiles, keeping them accurate, and answering reviews: a toolkit for "
        "physicians and their practice managers.",
        "Start with the profile checklist, then the review reply templates.",
        access=Access.PREMIUM,
        audience=Audience.CLINICIANS,
        topics=("Online reviews", "Professionalism"),
        published_days_ago=55,
    ),
    ResourceSpec(
        "riverside-nurses-on-instagram",
        ResourceType.CASE_STUDY,
        "Riverside nurses on Instagram: a recruitment campaign",
        "How Riverside Health System's nurses told their own stories on Instagram, and what it "
        "did for applications. Internal to Riverside; others may ask for access.",
        "Applications for nursing roles rose by 30% in the six months of the campaign.",
        access=Access.ORGANIZATION,
        organization=RIVERSIDE,
        topics=("Recruitment",),
        authors=("nurse@riverside-health.example", f"org:{RIVERSIDE}"),
        published_days_ago=25,
    ),
    ResourceSpec(
        RIVERSIDE_POLICY_SLUG,
        ResourceType.POLICY,
        "Riverside Health System social media policy",
        "The social media policy of Riverside Health System for all employees, students and "
        "volunteers. Private to Riverside; others may ask for access.",
        "Approved by the executive team. Questions to the communications office.",
        access=Access.ORGANIZATION,
        organization=RIVERSIDE,
        topics=("Policy and governance", "Patient privacy"),
        authors=(f"org:{RIVERSIDE}",),
        published_days_ago=300,
        review_by_days=14,
        files=(
            FileSpec(
                "riverside-social-media-policy.pdf",
                "pdf",
                "Riverside Health System social media policy",
                (
                    "Purpose: this policy protects our patients' privacy and our colleagues' "
                    "reputation while encouraging staff to share their work.",
                    *PRIVACY_PARAGRAPHS[:2],
                    "Official accounts: only the communications office opens accounts in "
                    "Riverside's name. Departments ask for one through the communications office.",
                    "Consequences: breaches of patient privacy are handled under the privacy and "
                    "disciplinary policies.",
                ),
            ),
        ),
    ),
    ResourceSpec(
        "riverside-employee-advocacy-guidelines",
        ResourceType.GUIDELINE,
        "Riverside: employee advocacy guidelines (internal)",
        "How Riverside employees may share the system's news on their own accounts. Internal "
        "and unlisted.",
        "Share official posts freely; add your own words; disclose that you work for Riverside.",
        access=Access.ORGANIZATION,
        organization=RIVERSIDE,
        is_listed=False,
        topics=("Professionalism",),
        authors=(f"org:{RIVERSIDE}",),
        published_days_ago=40,
        review_by_days=-5,
    ),
    ResourceSpec(
        "association-code-of-conduct-online",
        ResourceType.POLICY,
        "Association of Health Communicators: code of conduct online",
        "The association's code of conduct for members' professional social media, to be "
        "published with the new membership year.",
        "Members represent the profession online: accuracy, respect and transparency.",
        topics=("Professionalism", "Policy and governance"),
        authors=(f"org:{ASSOCIATION}",),
        organization=ASSOCIATION,
        status=ResourceStatus.SCHEDULED,
        review_by_days=365,
    ),
    ResourceSpec(
        "tiktok-guidance-for-pharmacists",
        ResourceType.GUIDELINE,
        "TikTok guidance for pharmacists",
        "Draft guidance on short video for community and hospital pharmacists: what to explain, "
        "what never to say about a patient's medicines.",
        "Draft for review by the pharmacy advisory group.",
        audience=Audience.PHARMACISTS,
        topics=("Video", "Professionalism"),
        status=ResourceStatus.DRAFT,
    ),
    ResourceSpec(
        "facebook-pages-for-clinics-2019",
        ResourceType.MANUAL,
        "Facebook pages for clinics (2019 edition)",
        "Setting up and running a Facebook page for a clinic. Withdrawn: replaced by the "
        "social media toolkit for clinics.",
        "Out of date; kept for the record.",
        topics=("Policy and governance",),
        published_days_ago=900,
        status=ResourceStatus.WITHDRAWN,
    ),
)

MODEL_POLICY = ResourceSpec(
    MODEL_POLICY_SLUG,
    ResourceType.POLICY,
    "Model social media policy for hospitals",
    "A model policy any hospital can adapt: patient privacy, disclosing your affiliation, "
    "personal and official accounts, interacting with patients, reviews, confidentiality and "
    "consequences. Use the policy builder to make your own.",
    "Adapt the Word version to your organization, or build yours with the policy builder.",
    topics=("Policy and governance", "Patient privacy"),
    published_days_ago=600,
    review_by_days=-45,
    license=License.CC_BY,
)
MODEL_POLICY_V1 = (
    "Patient privacy: never post information that could identify a patient.",
    "Affiliation: say that you work for the hospital when you discuss health care.",
    "Official accounts: only the communications office runs accounts in the hospital's name.",
)
MODEL_POLICY_V2 = (
    *MODEL_POLICY_V1,
    "Interacting with patients: do not give individual medical advice on social media; invite "
    "people to contact the practice.",
    "Responding to reviews: thank, acknowledge and take the conversation offline; never confirm "
    "that a reviewer is a patient.",
    "Confidentiality: business information that is not public stays inside the organization.",
    "Consequences: breaches are handled under the privacy and disciplinary policies.",
)


# --- Files ----------------------------------------------------------------------------------------


def pdf_document(heading: str, paragraphs: tuple[str, ...]) -> bytes:
    """A real PDF with a heading and paragraphs (ReportLab), text selectable and extractable."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=letter, title=heading, author="Townsquare")
    story = [Paragraph(heading, styles["Title"]), Spacer(1, 12)]
    for paragraph in paragraphs:
        escaped = paragraph.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        story += [Paragraph(escaped, styles["BodyText"]), Spacer(1, 8)]
    document.build(story)
    return buffer.getvalue()


def docx_document(heading: str, paragraphs: tuple[str, ...]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = heading
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(spec: FileSpec) -> SimpleUploadedFile:
    if spec.kind == "pdf":
        return SimpleUploadedFile(
            spec.name, pdf_document(spec.heading, spec.paragraphs), "application/pdf"
        )
    return SimpleUploadedFile(
        spec.name,
        docx_document(spec.heading, spec.paragraphs),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# --- Loading --------------------------------------------------------------------------------------


class _Loader:
    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.people = {user.email: user for user in User.objects.filter(email__endswith="example")}
        self.staff = self.people[STAFF]
        self.organizations = {org.name: org for org in Organization.objects.all()}
        self.topics: dict[str, Topic] = {}

    def load_topics(self) -> None:
        for name in TOPICS:
            existing = Topic.objects.filter(name=name).first()
            self.topics[name] = existing or collection_services.topic_create(
                actor=self.staff, name=name
            )

    def _authors(self, names: tuple[str, ...]) -> list[AuthorInput]:
        authors = []
        for name in names:
            if name.startswith("org:"):
                label = name[4:]
                organization = self.organizations.get(label)
                authors.append(
                    AuthorInput(
                        name=label,
                        organization_id=organization.pk if organization else None,
                        is_organization=True,
                    )
                )
            elif name in self.people:
                person = self.people[name]
                authors.append(AuthorInput(name=person.display_name, person_id=person.pk))
            else:
                authors.append(AuthorInput(name=name))
        return authors

    def _fields(self, spec: ResourceSpec) -> ResourceFields:
        organization = self.organizations.get(spec.organization) if spec.organization else None
        return ResourceFields(
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            audience=spec.audience,
            language=spec.language,
            published_on=self.today - datetime.timedelta(days=spec.published_days_ago),
            license=spec.license,
            doi=spec.doi,
            isbn=spec.isbn,
            review_by=(
                self.today + datetime.timedelta(days=spec.review_by_days)
                if spec.review_by_days is not None
                else None
            ),
            access=spec.access,
            organization_id=organization.pk if organization else None,
            is_listed=spec.is_listed,
            topic_ids=[self.topics[name].pk for name in spec.topics],
            authors=self._authors(spec.authors),
        )

    def resource(self, spec: ResourceSpec) -> Resource:
        resource = resource_services.resource_create(
            actor=self.staff, fields=self._fields(spec), slug=spec.slug
        )
        resource_services.version_create(
            actor=self.staff,
            resource=resource,
            change_note="First published version",
            body=spec.body,
            files=[resource_services.file_validate(_upload(file)) for file in spec.files],
            file_titles=[file.title for file in spec.files],
            chapters=[ChapterInput(title, body) for title, body in spec.chapters],
        )
        self._settle(resource, spec)
        return resource

    def _settle(self, resource: Resource, spec: ResourceSpec) -> None:
        if spec.status == ResourceStatus.DRAFT:
            return
        if spec.status == ResourceStatus.SCHEDULED:
            resource_services.resource_publish(
                actor=self.staff, resource=resource, at=self.now + datetime.timedelta(days=7)
            )
            return
        resource_services.resource_publish(actor=self.staff, resource=resource)
        Resource.objects.filter(pk=resource.pk).update(
            published_at=self.now - datetime.timedelta(days=spec.published_days_ago)
        )
        if spec.status == ResourceStatus.WITHDRAWN:
            resource_services.resource_withdraw(
                actor=self.staff, resource=resource, reason="Replaced by the clinic toolkit."
            )
        self._usage(resource, spec.views)

    def _usage(self, resource: Resource, views: tuple[int, ...]) -> None:
        month = self.today.replace(day=1)
        rows = []
        for count in views:
            rows.append(
                ResourceUsage(resource=resource, month=month, views=count, downloads=count // 3)
            )
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        ResourceUsage.objects.bulk_create(rows)

    def model_policy(self) -> Resource:
        """The model policy, with a first and a second (current) version."""
        spec = MODEL_POLICY
        resource = resource_services.resource_create(
            actor=self.staff, fields=self._fields(spec), slug=spec.slug
        )
        for note, paragraphs in (
            ("First edition", MODEL_POLICY_V1),
            (
                "Added interacting with patients, reviews, confidentiality and consequences",
                MODEL_POLICY_V2,
            ),
        ):
            upload = _upload(
                FileSpec(
                    "model-social-media-policy.docx",
                    "docx",
                    "Model social media policy for hospitals",
                    paragraphs,
                )
            )
            resource_services.version_create(
                actor=self.staff,
                resource=resource,
                change_note=note,
                body=spec.body + "\n\n" + "\n\n".join(f"- {p}" for p in paragraphs),
                files=[resource_services.file_validate(upload)],
            )
        self._settle(resource, spec)
        return resource

    def collections(self, resources: dict[str, Resource]) -> None:
        toolkit = collection_services.collection_create(
            actor=self.staff,
            fields=CollectionFields(
                title="Starter toolkit: social media for a new clinic",
                slug=STARTER_TOOLKIT_SLUG,
                summary="Five resources, in the order a new clinic needs them: set up the "
                "accounts, agree the rules, protect privacy, plan the posts, answer people.",
                is_toolkit=True,
            ),
        )
        steps = (
            (CLINIC_TOOLKIT_SLUG, "Start here: the checklist and the plan."),
            (MODEL_POLICY_SLUG, "Agree the rules before the first post."),
            ("patient-consent-form-for-photos-and-stories", "Before any patient photo or story."),
            ("content-calendar-template", "Plan your first month."),
            ("guidelines-for-responding-to-online-reviews", "When people start talking back."),
        )
        self._fill(toolkit, resources, steps)
        collection_services.collection_publish(actor=self.staff, collection=toolkit)
        reading = collection_services.collection_create(
            actor=self.staff,
            fields=CollectionFields(
                title="Patient privacy reading list",
                slug=PRIVACY_COLLECTION_SLUG,
                summary="What to read on **patient privacy** online, from the basics to policy.",
            ),
        )
        self._fill(
            reading,
            resources,
            (
                ("patient-privacy-and-social-media", "The basics, with the common mistakes."),
                (BOOK_SLUG, "Chapter 2 is on privacy."),
                (RIVERSIDE_POLICY_SLUG, "How one health system wrote it down."),
                (PREMIUM_PAPER_SLUG, "For leaders measuring their programme."),
            ),
        )
        collection_services.collection_publish(actor=self.staff, collection=reading)
        draft = collection_services.collection_create(
            actor=self.staff,
            fields=CollectionFields(
                title="Video for clinicians",
                summary="Being assembled: short video for clinicians and pharmacists.",
            ),
        )
        self._fill(
            draft,
            resources,
            (
                ("short-video-for-clinicians-workshop", ""),
                ("tiktok-guidance-for-pharmacists", "Draft, not yet published."),
            ),
        )

    def _fill(
        self,
        collection: Collection,
        resources: dict[str, Resource],
        steps: tuple[tuple[str, str], ...],
    ) -> None:
        for slug, note in steps:
            collection_services.collection_item_add(
                actor=self.staff, collection=collection, resource=resources[slug], note=note
            )

    def submission(self) -> Resource:
        from .services.review import SubmissionContent, submission_create

        physician = self.people[PHYSICIAN]
        riverside = self.organizations[RIVERSIDE]
        fields = ResourceFields(
            kind=ResourceType.GUIDELINE,
            title=SUBMISSION_TITLE,
            summary="What hospitalists at Riverside agreed about posting from work: privacy, "
            "affiliation, and answering patients who find us online.",
            audience=Audience.CLINICIANS,
            topic_ids=[self.topics["Professionalism"].pk],
            authors=[AuthorInput(name=physician.display_name, person_id=physician.pk)],
            organization_id=riverside.pk,
            license=License.CC_BY,
        )
        upload = _upload(
            FileSpec(
                "hospitalists-one-page-guide.pdf",
                "pdf",
                SUBMISSION_TITLE,
                (
                    "We post about our work, never about our patients.",
                    "We say that we work at Riverside and that our views are our own.",
                    "We do not answer clinical questions from patients in comments or messages.",
                ),
            )
        )
        return submission_create(
            actor=physician,
            fields=fields,
            content=SubmissionContent(
                body="A one-page guide agreed by the hospitalist group in March.",
                files=[resource_services.file_validate(upload)],
            ),
        )

    def access_request(self, resources: dict[str, Resource]) -> None:
        from .services.access import access_request_create

        access_request_create(
            actor=self.people[COACH],
            resource=Resource.objects.get(pk=resources[RIVERSIDE_POLICY_SLUG].pk),
            reason="I coach two community hospitals writing their first policy and would like "
            "to show them how Riverside organised theirs.",
        )


@transaction.atomic
def load_small() -> bool:
    """Create the library demo once. Returns False (and changes nothing) when it is there."""
    if Collection.objects.filter(slug=STARTER_TOOLKIT_SLUG).exists():
        return False
    accounts_demo.load_small()  # the sign-ins; does nothing when they exist
    loader = _Loader()
    loader.load_topics()
    resources = {spec.slug: loader.resource(spec) for spec in RESOURCES}
    resources[MODEL_POLICY_SLUG] = loader.model_policy()
    loader.collections(resources)
    loader.submission()
    loader.access_request(resources)
    _load_policy_clauses()
    return True


def _load_policy_clauses() -> None:
    """The policy builder's clauses, written for this project (idempotent: existing ones stay)."""
    from .policy_clauses import clauses_load

    clauses_load()
