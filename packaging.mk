# Packaging: the frozen app and the Linux packages. Included by the Makefile (after its
# variables); installers/README.md explains each target and the other systems.
#
#   make package           one-folder app with PyInstaller → dist/Cove/ (under a minute
#                          when only the app changed)
#   make package-smoke     frozen self-test with the Gemma test model + offscreen window
#   make package-deps      Debian/Ubuntu: apt-get installs what the .deb build and its
#                          check need, only what is missing (root or sudo)
#   make package-deb       dist/cove_<version>_<arch>.deb
#   make package-check     all of the above, plus dpkg install / self-test / purge;
#                          ends with one JSON line of figures
#   make package-appimage  dist/Cove-<version>-<arch>.AppImage (needs appimagetool)
#   make package-icons     re-render resources/app-icon/ after editing its SVGs

PACKAGE_DEPS  := $(VENV)/.cove-package
PACKAGE_STAMP := dist/Cove.build.json
PACKAGE_SOURCES := packaging.spec pyproject.toml installers/entry.py \
	$(wildcard installers/pyinstaller/*.py) tools/packaging_meta.py tools/package_build.py \
	$(shell find app resources -type f ! -path '*/__pycache__/*' 2>/dev/null)

.PHONY: package package-smoke package-deps package-deb package-check package-appimage \
	package-icons

# An existing .venv is used as it is (its llama.cpp build is kept); a fresh checkout
# sets one up as `make test` does. PyInstaller comes from pyproject's `package` extra.
$(PACKAGE_DEPS): pyproject.toml
	test -x $(PY) || $(MAKE) $(TESTS)
	$(PY) -m pip install --quiet -e '.[test,package]'
	@$(PY) -c "import PyInstaller" 2>/dev/null || $(PY) -m pip install --quiet 'pyinstaller>=6.10,<7'
	touch $@

$(PACKAGE_STAMP): $(PACKAGE_DEPS) $(PACKAGE_SOURCES)
	$(PY) tools/package_build.py

package: $(PACKAGE_STAMP)

package-smoke: $(PACKAGE_STAMP)
	$(PY) tools/package_smoke.py

# The system's python3: on a fresh machine this comes before .venv can be created.
package-deps:
	$(PYTHON) tools/package_deps.py

# package-deps first, then the build (a recursive make keeps that order under -j).
package-deb: package-deps
	@$(MAKE) --no-print-directory $(PACKAGE_STAMP)
	$(PY) tools/build_deb.py

package-check: package-deps
	@$(MAKE) --no-print-directory $(PACKAGE_STAMP)
	$(PY) tools/package_check.py

package-appimage: $(PACKAGE_STAMP)
	installers/linux/build-appimage.sh

package-icons: $(PACKAGE_DEPS)
	$(PY) tools/make_icons.py
