"""The pledge, door to door (issue 18): 《关于保护清溪母亲河的倡议书》 signed by household.

texts: the text's versions (staff edit: a new version; the demo text marked demo); signing: a
villager signs online for their household (village, optional household name, people, a phone that
signs once and is never shown; rate-limited), or a representative / staff enter a paper signature;
doors: voters' representatives tied to a village and their calls (visited / signed / not at home /
declined, with a note), households per village (staff); sheet: paper signatures in bulk from CSV or
.xlsx, previewed row by row, all or nothing; coverage: signed households per village as a share, in
river order, and the households that signed lately under a name they chose to show (recent).

Every refusal is PledgeError(key) (pledge.error.<key>) raised before anything is written; staff and
representative commands run in qingxi.core.acting (permissions pledge.manage / pledge.door; a
representative only in their own village).
"""
from qingxi.pledge.coverage import Coverage, coverage, recent, village_coverage
from qingxi.pledge.doors import Door, assign_representative, doors, my_village, record_visit, set_households
from qingxi.pledge.rules import MAX_PEOPLE, OUTCOMES, PledgeError
from qingxi.pledge.sheet import Preview, Row, import_sheet, preview
from qingxi.pledge.signing import Signed, enter_paper, sign
from qingxi.pledge.texts import Text, current_text, edit_text, install_demo_text, versions

__all__ = [
    "MAX_PEOPLE", "OUTCOMES", "PledgeError",
    "Text", "current_text", "edit_text", "install_demo_text", "versions",
    "Signed", "enter_paper", "sign",
    "Door", "assign_representative", "doors", "my_village", "record_visit", "set_households",
    "Preview", "Row", "import_sheet", "preview",
    "Coverage", "coverage", "recent", "village_coverage",
]
