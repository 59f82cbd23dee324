"""Workshop pages under /m/<municipality>/processes/<process>/workshop/<phase>/."""

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("<int:phase>/", views.board, name="board"),
    path("<int:phase>/notes/", views.board_notes, name="board_notes"),
    path("<int:phase>/notes/new/", views.note_create, name="note_create"),
    path("<int:phase>/prompts/", views.prompt_create, name="prompt_create"),
    path("<int:phase>/prompts/<int:prompt>/", views.prompt_detail, name="prompt"),
    path("<int:phase>/prompts/<int:prompt>/edit/", views.prompt_edit, name="prompt_edit"),
    path("<int:phase>/prompts/<int:prompt>/delete/", views.prompt_delete, name="prompt_delete"),
    path("<int:phase>/prompts/<int:prompt>/themes/", views.prompt_theming, name="theming"),
    path("<int:phase>/prompts/<int:prompt>/themes/merge/", views.themes_merge, name="merge"),
    path(
        "<int:phase>/prompts/<int:prompt>/themes/<int:pk>/rename/",
        views.theme_rename,
        name="rename",
    ),
    path("<int:phase>/prompts/<int:prompt>/synthesis/", views.synthesis, name="synthesis"),
    path(
        "<int:phase>/prompts/<int:prompt>/synthesis/recompute/",
        views.synthesis_recompute,
        name="recompute",
    ),
    path(
        "<int:phase>/prompts/<int:prompt>/suggestions/<int:pk>/",
        views.suggestion_decide,
        name="suggestion",
    ),
    path("<int:phase>/notes/<int:pk>/vote/", views.note_vote, name="vote"),
    path("<int:phase>/notes/<int:pk>/hide/", views.note_hide, name="hide"),
    path("<int:phase>/notes/<int:pk>/restore/", views.note_restore, name="restore"),
    path("<int:phase>/notes/<int:pk>/report/", views.note_report, name="report"),
    path("<int:phase>/reports/<int:pk>/dismiss/", views.note_flag_dismiss, name="dismiss_report"),
    path("<int:phase>/summary/", views.summary, name="summary"),
    path("<int:phase>/notes.csv", views.export_notes, {"file_format": "csv"}, name="export_notes"),
    path(
        "<int:phase>/notes.xlsx",
        views.export_notes,
        {"file_format": "xlsx"},
        name="export_notes_xlsx",
    ),
    path(
        "<int:phase>/themes.csv", views.export_themes, {"file_format": "csv"}, name="export_themes"
    ),
    path(
        "<int:phase>/themes.xlsx",
        views.export_themes,
        {"file_format": "xlsx"},
        name="export_themes_xlsx",
    ),
]
