"""The plan's own classifications that several registers share.

Values are stable codes; labels are English for gettext (the UI shows the Chinese
translation); ``NAMES`` holds the Chinese names that spreadsheets use, the first one being
what templates and exports write, the others accepted on import.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    # 二: the six new intelligent-technology industries
    ROBOT = "robot", _("Intelligent robots")
    SOFTWARE = "software", _("Intelligent software")
    HARDWARE = "hardware", _("Intelligent hardware")
    SENSOR = "sensor", _("Intelligent sensors")
    VRAR = "vrar", _("Virtual and augmented reality")
    ICV = "icv", _("New-energy and connected vehicles")
    # 三: the eight sectors to upgrade
    MANUFACTURING = "manufacturing", _("Intelligent manufacturing")
    AGRICULTURE = "agriculture", _("Intelligent agriculture")
    LOGISTICS = "logistics", _("Intelligent commerce and logistics")
    FINANCE = "finance", _("Intelligent finance")
    CULTURE = "culture", _("Intelligent culture and creative industries")
    TRANSPORT = "transport", _("Intelligent transport")
    HEALTH = "health", _("Intelligent health care")
    HOME = "home", _("Intelligent home")


NEW_INDUSTRIES = (
    Industry.ROBOT,
    Industry.SOFTWARE,
    Industry.HARDWARE,
    Industry.SENSOR,
    Industry.VRAR,
    Industry.ICV,
)

INDUSTRY_NAMES = {
    Industry.ROBOT: ("智能机器人", "机器人", "智能机器人产业"),
    Industry.SOFTWARE: ("智能软件", "软件", "智能软件产业"),
    Industry.HARDWARE: ("智能硬件", "硬件", "智能硬件产业"),
    Industry.SENSOR: ("智能传感器", "传感器", "智能传感器产业"),
    Industry.VRAR: ("虚拟现实与增强现实", "虚拟现实", "VR/AR", "VR", "AR", "增强现实"),
    Industry.ICV: ("新能源与智能网联车", "智能网联车", "智能网联汽车", "新能源汽车", "智能汽车"),
    Industry.MANUFACTURING: ("智能制造", "智能装备", "智能制造装备"),
    Industry.AGRICULTURE: ("智能农业", "农业"),
    Industry.LOGISTICS: ("智能商贸物流", "智能物流", "物流", "商贸物流"),
    Industry.FINANCE: ("智能金融", "金融"),
    Industry.CULTURE: ("智能文化创意", "文化创意", "文创"),
    Industry.TRANSPORT: ("智能交通", "交通"),
    Industry.HEALTH: ("智能医疗与健康", "智能医疗", "医疗", "数字医疗", "健康"),
    Industry.HOME: ("智能家居", "家居"),
}


class TechField(models.TextChoices):
    """The 8 key common-technology fields of 五(二). The plan names three and says "等8大";
    the eight are those of the national plan it implements (国发〔2017〕35号, 三(二)1)."""

    KNOWLEDGE = "knowledge", _("Knowledge computing engines and services")
    CROSSMEDIA = "crossmedia", _("Cross-media analysis and reasoning")
    SWARM = "swarm", _("Swarm intelligence")
    HYBRID = "hybrid", _("Hybrid augmented intelligence")
    AUTONOMOUS = "autonomous", _("Intelligent autonomous unmanned systems")
    VR_MODELLING = "vr_modelling", _("Intelligent virtual-reality modelling")
    CHIPS = "chips", _("Intelligent computing chips and systems")
    NLP = "nlp", _("Natural language processing")


TECH_FIELD_NAMES = {
    TechField.KNOWLEDGE: ("知识计算引擎与知识服务技术", "知识计算", "知识服务"),
    TechField.CROSSMEDIA: ("跨媒体分析推理技术", "跨媒体分析推理", "跨媒体"),
    TechField.SWARM: ("群体智能关键技术", "群体智能"),
    TechField.HYBRID: ("混合增强智能新架构和新技术", "混合增强智能技术", "混合增强智能"),
    TechField.AUTONOMOUS: ("自主无人系统的智能技术", "自主无人系统", "无人系统"),
    TechField.VR_MODELLING: ("虚拟现实智能建模技术", "虚拟现实智能建模"),
    TechField.CHIPS: ("智能计算芯片与系统", "智能芯片", "芯片"),
    TechField.NLP: ("自然语言处理技术", "自然语言处理", "NLP"),
}
