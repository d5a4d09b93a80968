//! The demo's door controllers: one simulated controller (`SimController`, the real Modbus
//! path) per door, connected to the in-process bridge like the PLC at a door. Each beats its
//! heartbeat and carries out unlock commands every [`POLL_EVERY`], as a correct PLC program
//! does, so the bridge never finds the demo's controllers silent (an alarm and a mail to the
//! hub's managers); the keypad page types PINs and holds cards to the reader through the same
//! connection.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use regiohub_hardware::bridge::registers::req_type;
use regiohub_hardware::bridge::sim_controller::{CredentialOutcome, SimController, SimControllerError};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

/// How often each controller beats and looks for a command (the bridge finds a controller
/// silent after 10 s).
const POLL_EVERY: Duration = Duration::from_millis(500);

/// One door's controller; `None` until connected and after any error (reconnect next time).
type Slot = Arc<Mutex<Option<SimController>>>;

/// The controllers of one bridge, by unit id.
pub(super) struct Keypads {
    bridge: SocketAddr,
    controllers: BTreeMap<u8, Slot>,
    pollers: Vec<JoinHandle<()>>,
}

impl Keypads {
    /// Connects a controller for each unit id and keeps it beating until [`Keypads::stop`].
    pub(super) fn start(bridge: SocketAddr, units: impl IntoIterator<Item = u8>) -> Keypads {
        let controllers: BTreeMap<u8, Slot> = units.into_iter().map(|unit| (unit, Slot::default())).collect();
        let pollers =
            controllers.iter().map(|(unit, slot)| tokio::spawn(keep_polling(bridge, *unit, slot.clone()))).collect();
        Keypads { bridge, controllers, pollers }
    }

    /// Types `pin` at the door with this unit id and follows the handshake to the bridge's
    /// answer; a granted command is carried out and acknowledged.
    ///
    /// # Errors
    /// The bridge does not answer or the connection fails (`None`: no such unit).
    pub(super) async fn enter_pin(&self, unit: u8, pin: &str) -> Option<Result<CredentialOutcome, SimControllerError>> {
        let slot = self.controllers.get(&unit)?;
        let mut controller = slot.lock().await;
        let result = async {
            let connected = connected(&mut controller, self.bridge, unit).await?;
            // Another master (a real PLC, `regiohub-bridge controller`) may have used this
            // unit: go on from the bridge's last answer so the request is never taken as a repeat.
            connected.continue_sequence().await?;
            connected.enter_pin(pin).await
        }
        .await;
        if result.is_err() {
            *controller = None;
        }
        Some(result)
    }

    /// Holds a card with this UID to the reader of the door with this unit id and follows the
    /// handshake to the bridge's answer, like [`Keypads::enter_pin`].
    ///
    /// # Errors
    /// The bridge does not answer or the connection fails (`None`: no such unit).
    pub(super) async fn present_card(
        &self,
        unit: u8,
        uid: &[u8],
    ) -> Option<Result<CredentialOutcome, SimControllerError>> {
        let slot = self.controllers.get(&unit)?;
        let mut controller = slot.lock().await;
        let result = async {
            let connected = connected(&mut controller, self.bridge, unit).await?;
            connected.continue_sequence().await?;
            connected.present(req_type::NFC_UID, uid).await
        }
        .await;
        if result.is_err() {
            *controller = None;
        }
        Some(result)
    }

    /// Stops beating; the bridge will find the controllers silent if it keeps running.
    pub(super) fn stop(&self) {
        for poller in &self.pollers {
            poller.abort();
        }
    }
}

impl Drop for Keypads {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn keep_polling(bridge: SocketAddr, unit: u8, slot: Slot) {
    let mut ticks = tokio::time::interval(POLL_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let mut controller = slot.lock().await;
        let tended = async {
            let connected = connected(&mut controller, bridge, unit).await?;
            connected.beat().await?;
            let block = connected.read_block().await?;
            connected.carry_out(&block).await
        }
        .await;
        if let Err(error) = tended {
            tracing::debug!(modbus.unit = unit, %error, "demo door controller lost the bridge; reconnecting");
            *controller = None;
        }
    }
}

/// The slot's controller, connecting first if need be.
async fn connected(
    slot: &mut Option<SimController>,
    bridge: SocketAddr,
    unit: u8,
) -> Result<&mut SimController, SimControllerError> {
    let controller = match slot.take() {
        Some(controller) => controller,
        None => SimController::connect(bridge, unit).await?,
    };
    Ok(slot.insert(controller))
}
