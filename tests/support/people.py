"""The people a test needs, made once: the reference river and villages, two active units and an
inactive one, and an account for every role (plus a disabled one). Use the `people` fixture."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from db.engine import session_scope
from db.models import Unit, User, Village
from qingxi.core import places

VILLAGE = "331022003204"        # 沙柳村: the report seat, on the river
OTHER_VILLAGE = "331022003001"  # 清溪社区


@dataclass(frozen=True)
class People:
    engine: Engine
    staff: User
    admin: User
    handler: User        # of `unit`
    other_handler: User  # of `other_unit`
    deputy: User
    other_deputy: User
    disabled: User       # a staff account that was switched off
    unit: int            # 沙柳村村委会
    other_unit: int      # 沙柳街道办事处
    old_unit: int        # inactive
    village: int         # 沙柳村's id
    other_village: int   # 清溪社区's id

    def of(self, role: str) -> User | None:
        """A role by name, "public" for nobody."""
        return None if role == "public" else getattr(self, role)


def make_people(engine: Engine) -> People:
    with session_scope(engine) as s:
        places.install_reference(s)
        units = [Unit(name="沙柳村村委会"), Unit(name="沙柳街道办事处"), Unit(name="旧清运队", active=False)]
        s.add_all(units)
        s.flush()
        users = {
            "staff": User(username="staff", display_name="梅站长", role="staff"),
            "admin": User(username="admin", display_name="管理员", role="admin"),
            "handler": User(username="h1", display_name="村委老王", role="handler", unit_id=units[0].id),
            "other_handler": User(username="h2", display_name="街道小李", role="handler", unit_id=units[1].id),
            "deputy": User(username="zhou", display_name="周代表", role="deputy"),
            "other_deputy": User(username="li", display_name="李代表", role="deputy"),
            "disabled": User(username="gone", display_name="离职员工", role="staff", disabled=True),
        }
        s.add_all(users.values())
        s.flush()
        village = {code: s.scalar(select(Village.id).where(Village.code == code)) for code in (VILLAGE, OTHER_VILLAGE)}
        return People(engine, **users, unit=units[0].id, other_unit=units[1].id, old_unit=units[2].id,
                      village=village[VILLAGE], other_village=village[OTHER_VILLAGE])
