"""Outlook's contacts CSV columns and what each means in the canonical contact.

The header is the one Outlook for Windows writes (File > Open & Export > Import/Export >
Export to a file > Comma Separated Values), the same list Microsoft's support article
"Create or edit .csv files to import into Outlook" gives; reading also accepts the
names Outlook on the web (outlook.com) uses where they differ. docs/import-export.md,
"Outlook CSV", has the tables.
"""

from __future__ import annotations

HEADER = (
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business Street 2",
    "Business Street 3",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home Street 2",
    "Home Street 3",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other Street 2",
    "Other Street 3",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "Account",
    "Anniversary",
    "Assistant's Name",
    "Billing Information",
    "Birthday",
    "Business Address PO Box",
    "Categories",
    "Children",
    "Directory Server",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "E-mail 2 Type",
    "E-mail 2 Display Name",
    "E-mail 3 Address",
    "E-mail 3 Type",
    "E-mail 3 Display Name",
    "Gender",
    "Government ID Number",
    "Hobby",
    "Home Address PO Box",
    "Initials",
    "Internet Free Busy",
    "Keywords",
    "Language",
    "Location",
    "Manager's Name",
    "Mileage",
    "Notes",
    "Office Location",
    "Organizational ID Number",
    "Other Address PO Box",
    "Priority",
    "Private",
    "Profession",
    "Referred By",
    "Sensitivity",
    "Spouse",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
    "Web Page",
)

NAME = {
    "Title": "prefix",
    "First Name": "givenName",
    "Middle Name": "middleName",
    "Last Name": "familyName",
    "Suffix": "suffix",
}
ORGANIZATION = {
    "Company": "name",
    "Department": "department",
    "Job Title": "title",
    "Office Location": "location",
}

# Phone columns in the order a contact's phones are read (the primary first), each with
# the canonical type it gives; writing puts a phone in the first free column of its kind.
PHONES = (
    ("Primary Phone", "main"),
    ("Mobile Phone", "mobile"),
    ("Business Phone", "work"),
    ("Business Phone 2", "work"),
    ("Home Phone", "home"),
    ("Home Phone 2", "home"),
    ("Company Main Phone", "companyMain"),
    ("Business Fax", "workFax"),
    ("Home Fax", "homeFax"),
    ("Other Fax", "otherFax"),
    ("Pager", "pager"),
    ("Car Phone", "car"),
    ("Assistant's Phone", "assistant"),
    ("Callback", "callback"),
    ("Radio Phone", "radio"),
    ("ISDN", "isdn"),
    ("TTY/TDD Phone", "tty"),
    ("Telex", "telex"),
    ("Other Phone", "other"),
)
EMAILS = ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")
# The address kinds: column prefix and canonical type, the first for `work`.
ADDRESS_KINDS = (("Business", "work"), ("Home", "home"), ("Other", "other"))
# Address parts after the prefix; Outlook on the web writes `Country` for `Country/Region`.
ADDRESS_PARTS = {
    "City": "city",
    "State": "region",
    "Postal Code": "postalCode",
    "Country/Region": "country",
    "Country": "country",
}
STREETS = ("Street", "Street 2", "Street 3")
RELATIONS = {
    "Spouse": "spouse",
    "Children": "child",
    "Assistant's Name": "assistant",
    "Manager's Name": "manager",
    "Referred By": "referredBy",
}
URLS = {"Web Page": None, "Personal Web Page": "home"}
IMS = ("IMAddress", "IM Address")
NICKNAMES = ("Nickname",)
# Values Outlook writes for "nothing" (its empty date, its default choices).
EMPTY_VALUES = {
    "Gender": "Unspecified",
    "Priority": "Normal",
    "Sensitivity": "Normal",
    "Private": "False",
    "E-mail Type": "SMTP",
    "E-mail 2 Type": "SMTP",
    "E-mail 3 Type": "SMTP",
}
CATEGORY_SEPARATOR = ";"
