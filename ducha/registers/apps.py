from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "ducha.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self):
        # Plan files may now say how an indicator is computed; check it when they load.
        from ducha.plans import planfile
        from ducha.registers.computation import check_indicator_computation

        if check_indicator_computation not in planfile.computation_checkers:
            planfile.computation_checkers.append(check_indicator_computation)
