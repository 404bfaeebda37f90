"""E-learning modules authored in Evne (nettkurs): pages of content, a test drawn from a
question bank, the attempts people make and the certificates (kursbevis) a pass gives."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Module(models.Model):
    """The e-learning content and test of a course."""

    course = models.OneToOneField(
        "learning.Course", verbose_name=_("course"), on_delete=models.CASCADE, related_name="module"
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, help_text=_("The share of right answers needed to pass.")
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        help_text=_("Drawn at random from the question bank. Empty: every question."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published modules can be taken.")
    )

    class Meta:
        verbose_name = _("e-learning module")
        verbose_name_plural = _("e-learning modules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark_percent__lte=100), name="pass_mark_is_a_share"
            )
        ]

    def __str__(self):
        return str(self.course)


class ModulePage(models.Model):
    """A page of content, written in Markdown."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="pages"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["module", "position", "pk"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title


def image_path(image: ModuleImage, filename: str) -> str:
    # A random name: the path must not be guessable and the original name is not needed.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"elearning/{uuid.uuid4().hex}{suffix}"


class ModuleImage(models.Model):
    """An image that the module's pages show."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.FileField(_("image"), upload_to=image_path)
    alt_text = models.CharField(
        _("text alternative"),
        max_length=300,
        help_text=_("What the image shows, for those who cannot see it."),
    )

    class Meta:
        ordering = ["module", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


class Question(models.Model):
    """A question of the module's question bank."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after the test: why the answer is right.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Questions taken out of use keep their statistics.")
    )

    class Meta:
        ordering = ["module", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("right"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One go at a module's test. The questions drawn for it are its answers, in order."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="attempts"
    )
    person = models.ForeignKey(
        "organization.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score_percent = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    completion = models.ForeignKey(
        "learning.Completion",
        verbose_name=_("completion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["module", "person"])]

    def __str__(self):
        return f"{self.person} – {self.module} {self.started_at:%d.%m.%Y}"


class Answer(models.Model):
    """A question drawn for an attempt and what the person chose; kept for the test's
    statistics (which questions are hardest)."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    chosen = models.ManyToManyField(Choice, verbose_name=_("chosen"), related_name="+", blank=True)
    is_correct = models.BooleanField(_("right"), null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="question_once_per_attempt"
            )
        ]

    def __str__(self):
        return f"{self.attempt} #{self.position}"


class Certificate(models.Model):
    """A course certificate (kursbevis). Its code lets anyone confirm it on a public page, which
    shows only the name, the course and the date."""

    completion = models.OneToOneField(
        "learning.Completion",
        verbose_name=_("completion"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code
