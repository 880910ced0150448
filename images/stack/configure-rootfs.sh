# Runs as root inside the freshly debootstrapped root filesystem (via chroot), before
# it is imported into Docker. Part of the recipe hash: editing it rebuilds the image.
set -euo pipefail

# The user Diego actions name: uid/gid 2000 and home /home/vcap, as on cflinuxfs4.
groupadd --gid 2000 vcap
useradd --uid 2000 --gid 2000 --home-dir /home/vcap --create-home --shell /bin/bash vcap
mkdir -p /home/vcap/app
chown 2000:2000 /home/vcap /home/vcap/app

# Locale: C.UTF-8 is built into glibc. CF sets LANG=en_US.UTF-8 for apps; without the
# `locales` package that name would not load, so alias it to C.UTF-8's data.
echo 'LANG=C.UTF-8' >/etc/default/locale
if [ -d /usr/lib/locale/C.utf8 ]; then
  ln -sfn C.utf8 /usr/lib/locale/en_US.utf8
fi

# Nothing host-specific or cached goes into the image.
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old \
  /var/log/apt/* /var/log/dpkg.log /var/log/bootstrap.log /var/log/alternatives.log
rm -f /etc/hostname
: >/etc/resolv.conf
