"""The fixed lists a company is described with. Labels are translated at render time."""

from flask_babel import lazy_gettext as _l

SECTORS = {
    "manufacturing": _l("Manufacturing"),
    "retail": _l("Retail and e-commerce"),
    "food": _l("Food and beverage"),
    "hospitality": _l("Tourism and hospitality"),
    "logistics": _l("Transport and logistics"),
    "agriculture": _l("Agriculture and fisheries"),
    "construction": _l("Construction and real estate"),
    "health": _l("Health and pharmacy"),
    "education": _l("Education and training"),
    "technology": _l("Information technology"),
    "services": _l("Professional services"),
    "other": _l("Other"),
}

SIZE_BANDS = {
    "micro": _l("Micro (up to 10 staff)"),
    "small": _l("Small (up to 100 staff)"),
    "medium": _l("Medium (up to 200 staff)"),
}

# The 34 provinces and centrally run cities in force since 1 July 2025.
PROVINCES = (
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Phòng",
    "Hưng Yên",
    "Huế",
    "Khánh Hòa",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Nghệ An",
    "Ninh Bình",
    "Phú Thọ",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sơn La",
    "Tây Ninh",
    "Thái Nguyên",
    "Thanh Hóa",
    "TP. Hồ Chí Minh",
    "Tuyên Quang",
    "Vĩnh Long",
)
