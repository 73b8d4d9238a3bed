"""The application version, shown by --version and 帮助→关于."""
__version__ = "0.1.0"
