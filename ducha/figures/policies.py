"""Published figures are public statements: everyone signed in reads them; only the
command line (`ducha loadfigures`) writes them."""

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.figures.models import FigureLink, PublishedFigure


def _readers(user, action):
    if action == "view" and user.is_authenticated:
        return EVERYTHING
    return NOTHING


@register
class PublishedFigurePolicy(Policy):
    model = PublishedFigure

    def scope(self, user, action):
        return _readers(user, action)


@register
class FigureLinkPolicy(Policy):
    model = FigureLink

    def scope(self, user, action):
        return _readers(user, action)
