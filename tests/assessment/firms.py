"""Firms answering the assessment as their owners would, with where seed 000 puts them.

Each firm is a real kind of Vietnamese SME, described in a sentence, with every answer
its owner gives (None where the owner would tick "I don't know"). `placement` is the
step seed 000's definitions imply for what the firm does; `expected_first_module` is
the module that seed 000 says it should study first (the one that closes its next
step), kept for the ranking's tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Firm:
    """One firm: who it is, its answers and where seed 000 places it."""

    name: str
    about: str
    answers: dict[str, object]
    placement: int
    expected_first_module: str
    islands: tuple[int, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)


BAKERY = Firm(
    name="family-bakery",
    about=(
        "A family bakery in Hà Đông: a Facebook page with photos and prices of its cakes, "
        "a Google Maps profile and a Zalo account for orders; the daughter posts new cakes "
        "and answers messages in the evening. Seed 000: present online with its products "
        "(step 1), but it posts offers only, not useful content, so not yet step 2."
    ),
    answers={
        "s1-channels": ["facebook", "google-maps", "zalo-oa"],
        "s1-product-info": "yes",
        "s1-traffic": "partly",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 3,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 1,
        "s2-content-channels": "partly",
        "s2-repurpose": "no",
        "s2-audience-groups": "no",
        "s2-after-sales": "partly",
        "s2-staff-skills": "no",
        "s3-kpis-goals": "no",
        "s3-leads-to-sales": "no",
        "s3-online-sales": ["chat-orders", "online-payment"],
        "s3-online-revenue": 20,
        "s3-campaign-source": "no",
        "s3-customer-records": 2,
        "s3-customer-count": 400,
        "s3-business-tools": ["sales-pos"],
        "s4-campaign-cost": "no",
        "s4-marketing-targets": "no",
        "s4-group-behaviour": "no",
        "s4-group-offers": 0,
        "s4-community": "no",
        "s4-crm-use": 0,
        "s4-customer-value": "partly",
        "s4-crm-plan": "no",
        "s4-staff-tools": "partly",
        "s5-auto-messages": 0,
        "s5-lead-follow-up": "no",
        "s5-response-time": 3,
        "s5-listening": 2,
        "s5-sales-dashboard": "no",
        "s5-satisfaction": "no",
        "s5-shared-customer-info": "no",
        "s6-single-profile": "no",
        "s6-one-to-one": 1,
        "s6-data-decisions": "no",
        "s6-connected-systems": "no",
        "s7-prediction": 0,
        "s7-experiments": "no",
        "s7-auto-analysis": "no",
        "s7-trends": "no",
        "s7-speed": "partly",
    },
    placement=1,
    expected_first_module="step-2-radiate",
)

WORKSHOP = Firm(
    name="furniture-workshop",
    about=(
        "A furniture workshop in Đồng Kỵ that makes tables and cabinets to order: a "
        "website with its work, Facebook, Zalo OA and YouTube; no price list, every job "
        "is quoted from a request on the website or Zalo; the owner keeps the requests "
        "in a shared sheet and calls each one. Seed 000: its content reaches its "
        "customers' channels and brings revenue through quotes (step 3), but it does "
        "not know what each promotion costs and brings (step 4)."
    ),
    answers={
        "s1-channels": ["website", "facebook", "zalo-oa", "google-maps", "video"],
        "s1-product-info": "yes",
        "s1-traffic": "yes",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 2,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 4,
        "s2-content-channels": "yes",
        "s2-repurpose": "yes",
        "s2-audience-groups": "partly",
        "s2-after-sales": "yes",
        "s2-staff-skills": "partly",
        "s3-kpis-goals": "yes",
        "s3-leads-to-sales": "yes",
        "s3-online-sales": ["chat-orders"],
        "s3-online-revenue": 40,
        "s3-campaign-source": "partly",
        "s3-customer-records": 3,
        "s3-customer-count": 900,
        "s3-business-tools": ["accounting", "shared-sheet"],
        "s4-campaign-cost": "no",
        "s4-marketing-targets": "no",
        "s4-group-behaviour": "no",
        "s4-group-offers": 1,
        "s4-community": "no",
        "s4-crm-use": 0,
        "s4-customer-value": "partly",
        "s4-crm-plan": "no",
        "s4-staff-tools": "yes",
        "s5-auto-messages": 0,
        "s5-lead-follow-up": "no",
        "s5-response-time": 6,
        "s5-listening": 2,
        "s5-sales-dashboard": "no",
        "s5-satisfaction": "no",
        "s5-shared-customer-info": "partly",
        "s6-single-profile": "no",
        "s6-one-to-one": 2,
        "s6-data-decisions": "partly",
        "s6-connected-systems": "no",
        "s7-prediction": 0,
        "s7-experiments": "no",
        "s7-auto-analysis": "no",
        "s7-trends": "no",
        "s7-speed": "no",
    },
    placement=3,
    expected_first_module="step-4-optimise",
)

ONLINE_SHOP = Firm(
    name="online-shop",
    about=(
        "A cosmetics seller with no shop: a Haravan website, Shopee and TikTok Shop "
        "stores, daily skincare videos on TikTok, a Facebook group of buyers; it reads "
        "the ad reports of each campaign and sets monthly targets. Carts left on the "
        "website get one automatic e-mail, nothing else runs by itself. Seed 000: it "
        "optimises its platforms and campaigns (step 4) but nurtures no one "
        "automatically yet (step 5)."
    ),
    answers={
        "s1-channels": ["website", "facebook", "marketplace", "video"],
        "s1-product-info": "yes",
        "s1-traffic": "yes",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 4,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 5,
        "s2-content-channels": "yes",
        "s2-repurpose": "yes",
        "s2-audience-groups": "yes",
        "s2-after-sales": "partly",
        "s2-staff-skills": "yes",
        "s3-kpis-goals": "yes",
        "s3-leads-to-sales": "yes",
        "s3-online-sales": ["web-shop", "shopee", "tiktok-shop", "chat-orders", "online-payment"],
        "s3-online-revenue": 100,
        "s3-campaign-source": "yes",
        "s3-customer-records": 3,
        "s3-customer-count": 12000,
        "s3-business-tools": ["sales-pos", "seller-centre"],
        "s4-campaign-cost": "yes",
        "s4-marketing-targets": "yes",
        "s4-group-behaviour": "partly",
        "s4-group-offers": 3,
        "s4-community": "yes",
        "s4-crm-use": 1,
        "s4-customer-value": "partly",
        "s4-crm-plan": "no",
        "s4-staff-tools": "yes",
        "s5-auto-messages": 2,
        "s5-lead-follow-up": "no",
        "s5-response-time": 2,
        "s5-listening": 3,
        "s5-sales-dashboard": "no",
        "s5-satisfaction": "no",
        "s5-shared-customer-info": "partly",
        "s6-single-profile": "no",
        "s6-one-to-one": 1,
        "s6-data-decisions": "partly",
        "s6-connected-systems": "partly",
        "s7-prediction": 1,
        "s7-experiments": "no",
        "s7-auto-analysis": "no",
        "s7-trends": "no",
        "s7-speed": "yes",
    },
    placement=4,
    expected_first_module="step-5-automate",
)

SERVICE_FIRM = Firm(
    name="b2b-service-firm",
    about=(
        "An industrial cleaning and maintenance firm in Bình Dương serving factories: "
        "a website listing its services with a quote form and case studies, no price "
        "list; an e-mail newsletter and a Zalo OA for facility managers; every request "
        "goes into a CRM with stages, automatic follow-up tasks and e-mail sequences; "
        "maintenance reminders go out by themselves. Seed 000: it nurtures leads and "
        "customers automatically (step 5) but has no single profile per client joining "
        "site visits and online activity (step 6)."
    ),
    answers={
        "s1-channels": ["website", "facebook", "zalo-oa", "google-maps", "directory"],
        "s1-product-info": "yes",
        "s1-traffic": "yes",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 4,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 4,
        "s2-content-channels": "yes",
        "s2-repurpose": "yes",
        "s2-audience-groups": "yes",
        "s2-after-sales": "yes",
        "s2-staff-skills": "yes",
        "s3-kpis-goals": "yes",
        "s3-leads-to-sales": "yes",
        "s3-online-sales": ["chat-orders"],
        "s3-online-revenue": 30,
        "s3-campaign-source": "yes",
        "s3-customer-records": 5,
        "s3-customer-count": 350,
        "s3-business-tools": ["accounting", "crm"],
        "s4-campaign-cost": "yes",
        "s4-marketing-targets": "yes",
        "s4-group-behaviour": "yes",
        "s4-group-offers": 4,
        "s4-community": "no",
        "s4-crm-use": 4,
        "s4-customer-value": "yes",
        "s4-crm-plan": "partly",
        "s4-staff-tools": "yes",
        "s5-auto-messages": 4,
        "s5-lead-follow-up": "yes",
        "s5-response-time": 2,
        "s5-listening": 3,
        "s5-sales-dashboard": "yes",
        "s5-satisfaction": "yes",
        "s5-shared-customer-info": "yes",
        "s6-single-profile": "partly",
        "s6-one-to-one": 3,
        "s6-data-decisions": "yes",
        "s6-connected-systems": "partly",
        "s7-prediction": 0,
        "s7-experiments": "no",
        "s7-auto-analysis": "partly",
        "s7-trends": "no",
        "s7-speed": "no",
    },
    placement=5,
    expected_first_module="step-6-transform",
)

RETAIL_CHAIN = Firm(
    name="retail-chain",
    about=(
        "A chain of fifteen mother-and-baby stores in Hà Nội and Hải Phòng with a "
        "website, Shopee and a Zalo OA: members are known by phone number in the "
        "stores and online alike, so each has one profile; reminders to reorder milk "
        "and nappies go out by Zalo on their own, and regular members get offers for "
        "their child's age from a named adviser. No forecasting or testing yet. "
        "Seed 000: one profile and one-to-one care across channels (step 6)."
    ),
    answers={
        "s1-channels": ["website", "facebook", "zalo-oa", "google-maps", "marketplace"],
        "s1-product-info": "yes",
        "s1-traffic": "yes",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 4,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 4,
        "s2-content-channels": "yes",
        "s2-repurpose": "yes",
        "s2-audience-groups": "yes",
        "s2-after-sales": "yes",
        "s2-staff-skills": "yes",
        "s3-kpis-goals": "yes",
        "s3-leads-to-sales": "partly",
        "s3-online-sales": ["web-shop", "shopee", "chat-orders", "online-payment"],
        "s3-online-revenue": 25,
        "s3-campaign-source": "yes",
        "s3-customer-records": 5,
        "s3-customer-count": 60000,
        "s3-business-tools": ["accounting", "sales-pos", "crm"],
        "s4-campaign-cost": "yes",
        "s4-marketing-targets": "yes",
        "s4-group-behaviour": "yes",
        "s4-group-offers": 4,
        "s4-community": "yes",
        "s4-crm-use": 4,
        "s4-customer-value": "yes",
        "s4-crm-plan": "no",
        "s4-staff-tools": "yes",
        "s5-auto-messages": 5,
        "s5-lead-follow-up": "yes",
        "s5-response-time": 1,
        "s5-listening": 3,
        "s5-sales-dashboard": "partly",
        "s5-satisfaction": "no",
        "s5-shared-customer-info": "yes",
        "s6-single-profile": "yes",
        "s6-one-to-one": 4,
        "s6-data-decisions": "yes",
        "s6-connected-systems": "yes",
        "s7-prediction": 2,
        "s7-experiments": "partly",
        "s7-auto-analysis": "partly",
        "s7-trends": "no",
        "s7-speed": "partly",
    },
    placement=6,
    expected_first_module="step-7-innovate",
)

START_UP = Firm(
    name="tech-start-up",
    about=(
        "A grocery-delivery start-up in Thủ Đức with an app, a website and a call "
        "centre: one profile per customer, offers chosen per customer by a "
        "recommendation model, demand forecasts for stock, an A/B test running every "
        "week, dashboards that refresh themselves; the founders plan from data but do "
        "not yet forecast the market. Seed 000: at the top (step 7)."
    ),
    answers={
        "s1-channels": ["website", "facebook", "zalo-oa", "video"],
        "s1-product-info": "yes",
        "s1-traffic": "yes",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 5,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 5,
        "s2-content-channels": "yes",
        "s2-repurpose": "yes",
        "s2-audience-groups": "yes",
        "s2-after-sales": "yes",
        "s2-staff-skills": "yes",
        "s3-kpis-goals": "yes",
        "s3-leads-to-sales": "yes",
        "s3-online-sales": ["web-shop", "chat-orders", "online-payment"],
        "s3-online-revenue": 95,
        "s3-campaign-source": "yes",
        "s3-customer-records": 5,
        "s3-customer-count": 85000,
        "s3-business-tools": ["accounting", "sales-pos", "crm"],
        "s4-campaign-cost": "yes",
        "s4-marketing-targets": "yes",
        "s4-group-behaviour": "yes",
        "s4-group-offers": 5,
        "s4-community": "partly",
        "s4-crm-use": 5,
        "s4-customer-value": "yes",
        "s4-crm-plan": "yes",
        "s4-staff-tools": "yes",
        "s5-auto-messages": 5,
        "s5-lead-follow-up": "yes",
        "s5-response-time": 0.5,
        "s5-listening": 4,
        "s5-sales-dashboard": "yes",
        "s5-satisfaction": "yes",
        "s5-shared-customer-info": "yes",
        "s6-single-profile": "yes",
        "s6-one-to-one": 5,
        "s6-data-decisions": "yes",
        "s6-connected-systems": "yes",
        "s7-prediction": 5,
        "s7-experiments": "yes",
        "s7-auto-analysis": "yes",
        "s7-trends": "partly",
        "s7-speed": "yes",
    },
    placement=7,
    expected_first_module="step-7-innovate",
)

AI_WITHOUT_FOUNDATIONS = Firm(
    name="ai-without-foundations",
    about=(
        "A fashion shop in Đà Nẵng whose owner bought an AI sales assistant: a chatbot "
        "on the Facebook page and website answers every message and recommends "
        "products from the catalogue, every day. Nobody counts visits, posts anything "
        "but new stock, groups customers or tracks a campaign. Seed 000: present "
        "online (step 1) and not yet radiating content (step 2), with the mark of "
        "step 7, AI shaping what customers see, standing on nothing: an island."
    ),
    answers={
        "s1-channels": ["website", "facebook"],
        "s1-product-info": "yes",
        "s1-traffic": "no",
        "s1-contact-list": "yes",
        "s1-bulk-messages": 3,
        "s1-owner-commitment": "yes",
        "s2-useful-content": 1,
        "s2-content-channels": "no",
        "s2-repurpose": "no",
        "s2-audience-groups": "no",
        "s2-after-sales": "partly",
        "s2-staff-skills": "no",
        "s3-kpis-goals": "no",
        "s3-leads-to-sales": "no",
        "s3-online-sales": ["web-shop", "chat-orders", "online-payment"],
        "s3-online-revenue": None,
        "s3-campaign-source": "no",
        "s3-customer-records": 1,
        "s3-customer-count": None,
        "s3-business-tools": ["sales-pos"],
        "s4-campaign-cost": "no",
        "s4-marketing-targets": "no",
        "s4-group-behaviour": "no",
        "s4-group-offers": 0,
        "s4-community": "no",
        "s4-crm-use": 0,
        "s4-customer-value": "no",
        "s4-crm-plan": "no",
        "s4-staff-tools": "partly",
        "s5-auto-messages": 3,
        "s5-lead-follow-up": "no",
        "s5-response-time": 0.1,
        "s5-listening": 0,
        "s5-sales-dashboard": "no",
        "s5-satisfaction": "no",
        "s5-shared-customer-info": "no",
        "s6-single-profile": "no",
        "s6-one-to-one": 1,
        "s6-data-decisions": "no",
        "s6-connected-systems": "no",
        "s7-prediction": 5,
        "s7-experiments": "no",
        "s7-auto-analysis": "no",
        "s7-trends": "no",
        "s7-speed": "no",
    },
    placement=1,
    expected_first_module="step-2-radiate",
    islands=(7,),
)

FIRMS = (
    BAKERY,
    WORKSHOP,
    ONLINE_SHOP,
    SERVICE_FIRM,
    RETAIL_CHAIN,
    START_UP,
    AI_WITHOUT_FOUNDATIONS,
)

# What seed 000 names as the practices of each step, as the instrument asks them.
SEED_000_PRACTICES = (
    # 1 Start: online with the company and its offer, traffic counted, contacts gathered
    # and written to.
    "s1-channels",
    "s1-product-info",
    "s1-traffic",
    "s1-contact-list",
    "s1-bulk-messages",
    # 2 Radiate: useful content on every channel customers use, reused across them,
    # the audience grouped by its data and channel.
    "s2-useful-content",
    "s2-content-channels",
    "s2-repurpose",
    "s2-audience-groups",
    # 3 Combine: measures tied to business goals, tracked marketing, prospects handed to
    # sales, buying online, orders kept where they can be analysed.
    "s3-kpis-goals",
    "s3-leads-to-sales",
    "s3-online-sales",
    "s3-campaign-source",
    "s3-business-tools",
    # 4 Optimise: the cost and result of each campaign against targets, each group's
    # behaviour, basic personalisation per group, communities, staff engaged.
    "s4-campaign-cost",
    "s4-marketing-targets",
    "s4-group-behaviour",
    "s4-group-offers",
    "s4-community",
    "s4-staff-tools",
    # 5 Automate: automated nurturing of prospects and customers, listening to them,
    # closing faster.
    "s5-auto-messages",
    "s5-lead-follow-up",
    "s5-listening",
    "s5-response-time",
    # 6 Transform: one profile per customer, one-to-one treatment, data in every
    # decision, channels automated.
    "s6-single-profile",
    "s6-one-to-one",
    "s6-data-decisions",
    "s6-connected-systems",
    # 7 Innovate: AI and forecasting, testing, automated analysis, trends, speed.
    "s7-prediction",
    "s7-experiments",
    "s7-auto-analysis",
    "s7-trends",
    "s7-speed",
)
